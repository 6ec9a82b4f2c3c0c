package slimbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.model.AtomicFile;
import slimbench.report.Diff;
import slimbench.report.Run;
import slimbench.suite.ResultsCsv;

/**
 * {@code diff A.csv B.csv [C.csv ...]}: several runs side by side, each against each earlier one or
 * all against {@code --baseline}.
 * How to run: {@code java -jar benchmarks.jar diff fixtures/reference/blog-2019-tftrt.csv reports/<host>/<run>/results.csv}
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares runs; beside the 2019 reference it opens with where the run stands.",
                "It opens with one plain sentence per runtime and precision (against both 2019 machines when the "
                + "reference is among the runs, else against the run before), and the runtimes of a run against "
                + "each other; then per model the steady-state mean of the 2019 machines and of this run with its "
                + "ratios (fp32 as exported, fp16 ahead as the analogue of 2019's tftrt-fp16), or else the headline "
                + "figures; where each ran, and the failed cells counted. --full adds the run conditions that "
                + "differ, each failed cell, and one table per metric with the ratios (each run to each earlier "
                + "one, or to --baseline) and whether the difference is beyond the error bars.",
                "The 2019 reference CSV holds two machines; each becomes a run (gtx1070, then jetson_nano) "
                        + "unless --machine picks some."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:diff written", "1:the output file could not be written", "2:bad input (missing file, "
                + "another CSV format, fewer than two runs, a run with no cell in common with the baseline, a "
                + "--baseline that names no run)"},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar diff fixtures/reference/blog-2019-tftrt.csv \\",
                "      reports/example/results.csv",
                "  java -jar benchmarks.jar diff --baseline jetson_nano \\",
                "      fixtures/reference/blog-2019-tftrt.csv reports/HOST/RUN/results.csv",
                "  java -jar benchmarks.jar diff --csv --out diff.csv \\",
                "      reports/HOST/RUN1/results.csv reports/HOST/RUN2/results.csv"})
public final class DiffCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULTS.csv",
            description = "Results CSVs (or the 2019 reference CSV), lettered A, B, ... in this order.")
    List<Path> files;

    @Option(names = "--baseline", paramLabel = "RUN",
            description = "Take every ratio against this run: its letter (A, B, ...), its label, or a reference machine "
                    + "(gtx1070, jetson_nano). Default: each run against each earlier one.")
    String baseline;

    @Option(names = "--machine", paramLabel = "NAME", split = ",",
            description = "Reference CSVs only: keep these machines (default: all of them, each a run).")
    List<String> machines = new ArrayList<>();

    @Option(names = "--csv", description = "Write CSV (one line per cell, metric and run; its ratio and beyond_error "
            + "against --baseline, else against A) instead of Markdown.")
    boolean csv;

    @Option(names = "--full", description = "Also the run conditions that differ, each failed cell with its message, "
            + "and a table for every metric (default: the answer, the standing or headline figures, where each ran).")
    boolean full;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to this file (atomically) instead of stdout.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Run> runs = new ArrayList<>();
        for (Path f : files) {
            runs.addAll(Run.load(f, machines));
        }
        Diff diff = new Diff(runs, baseline == null ? -1 : slimbench.report.Baseline.index(runs, baseline));
        String text = csv ? diff.csv() : diff.markdown(full);
        if (out != null) {
            AtomicFile.write(out, text);
        } else {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(text);
            stdout.flush();
        }
        return 0;
    }
}
