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
import slimbench.report.Report;
import slimbench.report.Run;

/**
 * {@code report RESULTS.csv [--out DIR]}: the Markdown report and charts of one run.
 * How to run: {@code java -jar benchmarks.jar report reports/<host>/<run>/results.csv}
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes report.md, cold-start.png and steady-state.png for a results CSV "
                + "(or the 2019 reference CSV), beside it unless --out is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "1:it could not be written", "2:bad input (missing file, another CSV "
                + "format, no rows)"},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar report reports/HOST/RUN/results.csv",
                "  java -jar benchmarks.jar report fixtures/reference/blog-2019-tftrt.csv \\",
                "      --machine jetson_nano --out /tmp/nano"})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RESULTS.csv", description = "A results.csv, or fixtures/reference/blog-2019-tftrt.csv.")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write into (default: the CSV's directory).")
    Path out;

    @Option(names = "--machine", paramLabel = "NAME", split = ",",
            description = "Reference CSV only: report these machines (default: all, one part each).")
    List<String> machines = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Run> runs = Run.load(results, machines);
        if (runs.stream().allMatch(r -> r.rows().isEmpty())) {
            throw new IllegalArgumentException(results + " holds no result rows");
        }
        Path dir = out != null ? out : results.toAbsolutePath().getParent();
        List<Path> written = Report.write(runs, dir);
        PrintWriter stdout = spec.commandLine().getOut();
        written.forEach(stdout::println);
        stdout.flush();
        return 0;
    }
}
