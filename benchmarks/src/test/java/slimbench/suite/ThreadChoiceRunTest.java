package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steady cell with a budget of 2 threads times 1 and 2 in probe processes of their own, runs on
 * the one it chose, says so in its log and records it as {@code threads_used}.
 */
class ThreadChoiceRunTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
    }

    @Test
    void aTwoThreadCellRunsOnTheCountItMeasuredFastest() throws Exception {
        Path root = tmp.resolve("reports");
        int exit = slimbench.cli.Main.commandLine().execute("run", "--preset", "quick", "--scale", "tiny",
                "--models", "mobilenet_v1", "--variants", "fp32", "--optimize", "ahead", "--modes", "steady",
                "--runtimes", "tensorflow", "--threads", "2", "--forks", "1", "--iterations", "1", "--no-probes",
                "--cache", tmp.resolve("cache").toString(), "--out", root.toString());
        assertEquals(0, exit);
        Path results;
        try (Stream<Path> s = Files.walk(root)) {
            results = s.filter(p -> p.endsWith("results.csv")).findFirst().orElseThrow();
        }
        List<ResultRow> rows = ResultsCsv.read(results);
        ResultRow used = rows.stream().filter(r -> r.metric().equals("threads_used")).findFirst().orElseThrow();
        assertEquals(Status.OK, used.status(), used.toString());
        String log;
        try (Stream<Path> s = Files.list(results.resolveSibling("logs"))) {
            log = Files.readString(s.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow());
        }
        Matcher m = Pattern.compile("threads (\\d) chosen of 1: ([0-9.]+) ms, 2: ([0-9.]+) ms").matcher(log);
        assertTrue(m.find(), log);
        int chosen = Integer.parseInt(m.group(1));
        double one = Double.parseDouble(m.group(2));
        double two = Double.parseDouble(m.group(3));
        assertTrue(one > 0 && two > 0, m.group());
        assertEquals(two < 0.95 * one ? 2 : 1, chosen, "the rule: 2 only when 5% faster, " + m.group());
        assertEquals(chosen, used.score(), "the fork ran on the count chosen");
        assertEquals(2, used.threads(), "the cell keeps its budget as its threads");
    }
}
