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
import slimbench.model.Mode;

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
        Path results = resultsUnder(root);
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
        assertEquals(chosen, used.threads(), "the cell's rows say the threads it ran on");
        assertEquals(2, used.threadsBudget(), "and the budget it chose them within");
    }

    /**
     * {@code --threads 0,2}: 0 is resolved to this machine's CPUs before any cell (so both engines
     * get one number), and every cell's threads are the same in results.csv and results.json: the
     * count that ran, beside the budget it was chosen within.
     */
    @Test
    void threadsAgreeBetweenTheCsvAndTheJson() throws Exception {
        Path root = tmp.resolve("reports");
        int exit = slimbench.cli.Main.commandLine().execute("run", "--preset", "quick", "--scale", "tiny",
                "--models", "mobilenet_v1", "--variants", "fp32", "--optimize", "ahead", "--modes", "cold,steady",
                "--runtimes", "tensorflow,onnxruntime", "--threads", "0,2", "--forks", "1", "--iterations", "1",
                "--no-probes", "--cache", tmp.resolve("cache").toString(), "--out", root.toString());
        assertEquals(0, exit);
        Path results = resultsUnder(root);
        int cpus = Runtime.getRuntime().availableProcessors();
        List<ResultRow> rows = ResultsCsv.read(results).stream().filter(r -> r.mode() != Mode.FILE).toList();
        java.util.Set<Integer> budgets = new java.util.TreeSet<>();
        rows.forEach(r -> budgets.add(r.threadsBudget()));
        assertEquals(new java.util.TreeSet<>(List.of(cpus, 2)), budgets, "0 is this machine's " + cpus + " CPUs");
        com.google.gson.JsonArray json = com.google.gson.JsonParser.parseString(
                Files.readString(results.resolveSibling(JmhJson.FILE))).getAsJsonArray();
        assertEquals(rows.stream().map(ResultRow::key).distinct().count(), json.size(), "one JMH entry per cell");
        for (var e : json) {
            var params = e.getAsJsonObject().getAsJsonObject("params");
            int budget = params.get("threadsBudget").getAsInt();
            int threads = params.get("threads").getAsInt();
            String runtime = params.get("runtime").getAsString();
            String mode = params.get("mode").getAsString();
            List<ResultRow> cell = rows.stream().filter(r -> r.threadsBudget() == budget && r.runtime().label().equals(runtime)
                    && r.mode().label().equals(mode)).toList();
            assertTrue(!cell.isEmpty() && cell.stream().allMatch(r -> r.threads() == threads),
                    runtime + " " + mode + " budget " + budget + ": JSON threads " + threads + ", CSV " + cell);
        }
    }

    /** {@code --no-choose-threads} (the default preset's way): the cell runs on exactly its budget, no probe. */
    @Test
    void withoutTheChoiceACellRunsOnExactlyItsBudget() throws Exception {
        Path root = tmp.resolve("exact");
        int exit = slimbench.cli.Main.commandLine().execute("run", "--preset", "quick", "--scale", "tiny",
                "--models", "mobilenet_v1", "--variants", "fp32", "--optimize", "ahead", "--modes", "steady",
                "--runtimes", "tensorflow", "--threads", "2", "--no-choose-threads", "--forks", "1", "--iterations",
                "1", "--no-probes", "--cache", tmp.resolve("cache").toString(), "--out", root.toString());
        assertEquals(0, exit);
        Path results = resultsUnder(root);
        ResultRow used = ResultsCsv.read(results).stream().filter(r -> r.metric().equals("threads_used")).findFirst()
                .orElseThrow();
        assertEquals(2, used.score(), used.toString());
        assertEquals(2, used.threads(), used.toString());
        assertTrue(used.message().contains("as given"), used.message());
        try (Stream<Path> s = Files.list(results.resolveSibling("logs"))) {
            String log = Files.readString(s.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow());
            assertTrue(!log.contains("chosen of"), "no count was probed:\n" + log);
        }
        assertTrue(Files.readString(results.resolveSibling("conditions.csv")).contains("suite.choose_threads,no"));
    }

    private static Path resultsUnder(Path root) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.endsWith("results.csv")).findFirst().orElseThrow();
        }
    }
}
