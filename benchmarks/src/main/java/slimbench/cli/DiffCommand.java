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
 * {@code diff A.csv B.csv [C.csv ...]}: several runs side by side, ratios against the first.
 * How to run: {@code java -jar benchmarks.jar diff fixtures/reference/blog-2019-tftrt.csv reports/<host>/<run>/results.csv}
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares runs: where each ran (arch, glibc, TensorFlow native, CPU, Jetson L4T/JetPack, from "
                + "the conditions.csv beside each results file), the other differing run conditions, then one table "
                + "per metric with a column per run, the ratio to the first run and whether the difference is beyond "
                + "the error bars.",
                "The 2019 reference CSV holds two machines; each becomes a run (gtx1070, then jetson_nano) "
                        + "unless --machine picks some."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:diff written", "2:bad input (missing file, another CSV format, fewer than two runs, "
                + "a run with no cell in common with the first)"})
public final class DiffCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULTS.csv",
            description = "Results CSVs (or the 2019 reference CSV); the first run is the baseline.")
    List<Path> files;

    @Option(names = "--machine", paramLabel = "NAME", split = ",",
            description = "Reference CSVs only: keep these machines (default: all of them, each a run).")
    List<String> machines = new ArrayList<>();

    @Option(names = "--csv", description = "Write CSV (one line per cell, metric and run) instead of Markdown.")
    boolean csv;

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
        Diff diff = new Diff(runs);
        String text = csv ? diff.csv() : diff.markdown();
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
