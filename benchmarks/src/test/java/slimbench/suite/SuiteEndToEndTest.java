package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Mode;
import slimbench.model.Variant;

/**
 * The runner end to end over small matrices of scaled-down models: every cell in the CSV with the
 * right status, the measured ones with their metrics, a cell forced to time out and a cell whose
 * fork is killed, and the suite going on after each.
 */
class SuiteEndToEndTest {
    private static final String FORKED_MAIN = "org.openjdk.jmh.runner.ForkedMain";

    @TempDir
    static Path cache;

    @TempDir
    Path out;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
        Suites.assertNoCrashDump(out, Path.of("").toAbsolutePath());
    }

    @Test
    void everyCellOfASmallMatrixIsRecorded() throws Exception {
        Path dir = Suites.Spec.tiny(cache, out).variants("fp32", "tftrt-fp16").probes(true).runDir();
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));

        Set<String> cells = rows.stream().map(ResultRow::key).collect(Collectors.toSet());
        assertEquals(Set.of("mobilenet_v1/fp32/at-load/0/file", "mobilenet_v1/fp32/at-load/0/cold",
                "mobilenet_v1/fp32/at-load/0/steady", "mobilenet_v1/tftrt-fp16/at-load/0/file",
                "mobilenet_v1/tftrt-fp16/at-load/0/cold", "mobilenet_v1/tftrt-fp16/at-load/0/steady"), cells);

        for (String v : List.of("fp32", "tftrt-fp16")) {
            List<ResultRow> file = Suites.cell(rows, "mobilenet_v1/" + v + "/at-load/0/file");
            assertEquals(1, file.size());
            assertEquals("file_size", file.get(0).metric());
            assertEquals(Status.OK, file.get(0).status());
            assertTrue(file.get(0).score() > 0, file.toString());
            assertTrue(file.get(0).message().matches("sha256=[0-9a-f]{64}"), file.toString());
        }

        Map<String, ResultRow> cold = metrics(rows, "mobilenet_v1/fp32/at-load/0/cold");
        assertEquals("total", Suites.cell(rows, "mobilenet_v1/fp32/at-load/0/cold").get(0).metric(),
                "the primary score comes first");
        for (String m : List.of("total", "read", "import", "session", "first_inference", "mem.rss.peak")) {
            ResultRow r = cold.get(m);
            assertTrue(r != null, "cold cell has " + m + ": " + cold.keySet());
            assertEquals(Status.OK, r.status());
            assertTrue(r.score() > 0, r.toString());
        }
        assertEquals("ms", cold.get("total").unit());
        assertTrue(cold.get("total").score() >= cold.get("first_inference").score());
        assertEquals("MiB", cold.get("mem.rss.peak").unit());

        Map<String, ResultRow> steady = metrics(rows, "mobilenet_v1/fp32/at-load/0/steady");
        assertEquals("avg", Suites.cell(rows, "mobilenet_v1/fp32/at-load/0/steady").get(0).metric());
        ResultRow avg = steady.get("avg");
        assertEquals(Status.OK, avg.status());
        assertEquals(3, avg.samples(), "three measured iterations");
        assertTrue(avg.score() > 0, avg.toString());
        assertTrue(Double.isNaN(avg.error()) && avg.forks() == 1, "one fork: a mean, no interval: " + avg);
        assertTrue(steady.get("forks").message().startsWith("fixed at 1 forks"), steady.get("forks").toString());
        for (String m : List.of("throughput", "p50", "p90", "p95", "max", "inferences", "mem.rss.peak")) {
            assertTrue(steady.containsKey(m) && steady.get(m).score() > 0, "steady cell has " + m + ": " + steady);
        }
        // Iterations are time-bounded, one inference per invocation: a p99 needs 100 inferences to differ from the max.
        boolean p99Known = steady.get("inferences").score() >= 100;
        assertTrue(steady.containsKey("p99") && (p99Known ? steady.get("p99").score() > 0
                : Double.isNaN(steady.get("p99").score())), "steady cell's p99: " + steady.get("p99"));
        assertEquals(0, steady.get("threads_used").score(), "threads 0, the engine's choice, is run as given");
        assertTrue(!cold.containsKey("threads_used"), "a cold shot runs at its budget");
        assertTrue(!p99Known || steady.get("p50").score() <= steady.get("p99").score()
                && steady.get("p99").score() <= steady.get("max").score(), steady.toString());
        assertTrue(rows.stream().filter(r -> r.mode() == Mode.COLD || r.mode() == Mode.STEADY)
                .filter(r -> r.variant() == Variant.FP32).allMatch(r -> r.pressure().split("\\+")[0].equals("none")),
                "the memory probe's verdict on every measured row");

        for (String mode : List.of(Mode.COLD.label(), Mode.STEADY.label())) {
            ResultRow r = Suites.failed(rows, "mobilenet_v1/tftrt-fp16/at-load/0/" + mode, Status.UNSUPPORTED);
            // On a Jetson the reason is its GPU's (TfTrt), elsewhere the missing op.
            assertTrue(r.message().contains("TRTEngineOp") || r.message().startsWith("GPU cell on L4T"), r.message());
        }

        jmhJson(dir.resolve(JmhJson.FILE), steady);

        Map<String, String> conditions = conditions(dir);
        assertEquals("none", conditions.get("suite.memory_limit"));
        assertEquals("tiny", conditions.get("suite.scale"));
        for (String key : List.of(Conditions.CORE_SPEED, Conditions.CORE_SPEED_END)) {
            assertTrue(conditions.getOrDefault(key, "").matches("p10 [\\d.]+, p50 [\\d.]+, p90 [\\d.]+ ms \\(\\+\\d+%\\) "
                    + "over 1 s, \\d+ matmuls"), key + "=" + conditions.get(key));
        }
    }

    /** results.json parses as JMH's JSON: one entry per measured cell, with the fields JMH tooling reads. */
    private static void jmhJson(Path file, Map<String, ResultRow> steady) throws Exception {
        JsonArray all = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        assertEquals(2, all.size(), "the two measured fp32 cells (tftrt-fp16 is unsupported here): " + all);
        JsonObject cold = null;
        JsonObject hot = null;
        for (var e : all) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("benchmark").getAsString().endsWith("SteadyState.infer")) {
                hot = o;
            } else if (o.get("benchmark").getAsString().endsWith("ColdStart.loadAndInferOnce")) {
                cold = o;
            }
        }
        assertTrue(cold != null && hot != null, all.toString());
        assertEquals("ss", cold.get("mode").getAsString());
        assertEquals("avgt", hot.get("mode").getAsString());
        assertEquals(1, hot.get("threads").getAsInt());
        assertEquals(1, hot.get("forks").getAsInt());
        assertEquals(3, hot.get("measurementIterations").getAsInt());
        JsonObject params = hot.getAsJsonObject("params");
        assertEquals("mobilenet_v1", params.get("model").getAsString());
        assertEquals("fp32", params.get("variant").getAsString());
        assertEquals("at-load", params.get("optimize").getAsString());
        assertEquals("0", params.get("threads").getAsString());
        JsonObject primary = hot.getAsJsonObject("primaryMetric");
        assertEquals(steady.get("avg").score(), primary.get("score").getAsDouble(), 1e-9);
        assertEquals("ms/op", primary.get("scoreUnit").getAsString());
        assertEquals(2, primary.getAsJsonArray("scoreConfidence").size());
        assertTrue(primary.getAsJsonObject("scorePercentiles").has("99.0"), primary.toString());
        assertEquals(3, primary.getAsJsonArray("rawData").get(0).getAsJsonArray().size(), "one fork of 3 iterations");
        JsonObject secondary = hot.getAsJsonObject("secondaryMetrics");
        JsonObject latency = secondary.getAsJsonObject("latency");
        assertEquals(steady.get("p99").score(),
                latency.getAsJsonObject("scorePercentiles").get("99.0").getAsDouble(), 1e-9,
                "the same nearest-rank p99 as the CSV");
        assertEquals(steady.get("max").score(),
                latency.getAsJsonObject("scorePercentiles").get("100.0").getAsDouble(), 1e-9);
        assertTrue(secondary.has("mem.rss.peak"), "the probes are secondary metrics: " + secondary.keySet());
    }

    @Test
    void aKilledForkAndATimeOutAreRecordedAndTheSuiteGoesOn() throws Exception {
        // Iterations far longer than the timeout: the cells can only end by the kill or the watchdog.
        Suites.Spec spec = Suites.Spec.tiny(cache, out).variants("fp32", "fp16", "tftrt-fp16").modes(Mode.STEADY.label())
                .timing(Duration.ofSeconds(60), Duration.ofSeconds(8));
        AtomicReference<String> killed = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                Optional<ProcessHandle> fork = Suites.awaitDescendant(ProcessHandle.current(),
                        c -> c.contains(FORKED_MAIN), Duration.ofSeconds(60));
                if (fork.isPresent()) {
                    Thread.sleep(1000); // well into the cell: the model is loaded, JMH is measuring
                    killed.set(Suites.commandLine(fork.get()));
                    new ProcessBuilder("kill", "-9", Long.toString(fork.get().pid())).inheritIO().start().waitFor();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "fork-killer");
        killer.start();
        List<ResultRow> rows = spec.run();
        killer.join();

        assertTrue(killed.get() != null, "a JMH fork was found and killed");
        ResultRow k = Suites.failed(rows, "mobilenet_v1/fp32/at-load/0/steady", Status.KILLED);
        assertTrue(k.message().contains("the fork died by signal 9"), k.message());

        ResultRow t = Suites.failed(rows, "mobilenet_v1/fp16/at-load/0/steady", Status.TIMEOUT);
        assertTrue(t.message().startsWith("no result within 8 s; the watchdog ended"), t.message());

        ResultRow u = Suites.failed(rows, "mobilenet_v1/tftrt-fp16/at-load/0/steady", Status.UNSUPPORTED);
        assertTrue(u.message().contains("TRTEngineOp") || u.message().startsWith("GPU cell on L4T"), u.message());
        assertFalse(rows.stream().anyMatch(r -> r.mode() == Mode.COLD));
        Suites.assertNoProcessMentions(cache.toString());
    }

    private static Map<String, ResultRow> metrics(List<ResultRow> rows, String cell) {
        return Suites.cell(rows, cell).stream().collect(Collectors.toMap(ResultRow::metric, r -> r));
    }

    static Map<String, String> conditions(Path dir) throws Exception {
        try (var in = Files.newBufferedReader(dir.resolve("conditions.csv"))) {
            return org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(in).getRecords().stream()
                    .collect(Collectors.toMap(r -> r.get("key"), r -> r.get("value"), (a, b) -> b));
        }
    }
}
