package slimbench.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import slimbench.cli.Cli;
import slimbench.model.Mode;
import slimbench.suite.Conditions;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Status;

/**
 * The {@code tensorrt} runtime end to end, with the fake trtexec on the PATH (the Done-when:
 * {@code run --runtimes tensorrt --models mobilenet_v1 --variants fp32,fp16 --scale tiny}), then its
 * report and its diff against the 2019 results; without a trtexec, and with one that cannot parse
 * the model; and each replayed TensorRT version's flags, through the {@code ahead} engine's build.
 *
 * <p>How to run: {@code mvn test -Dtest=TensorRtRunTest -DargLine="-Xmx6g -Djava.io.tmpdir=/tmp/jmh-tensorrt"}
 */
class TensorRtRunTest {
    /** The budget a default run resolves its threads 0 to: this machine's CPUs. */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private static final Path REFERENCE = Path.of(System.getProperty("basedir", "."))
            .resolve("fixtures/reference/blog-2019-tftrt.csv");
    /** The rows every OK steady cell reports, whatever its engine (CellMain.latencyRows), and a cold one's. */
    private static final Set<String> STEADY = Set.of("avg", "throughput", "p50", "p90", "p95", "p99", "max", "inferences");
    private static final Pattern LOG_MAX = Pattern.compile("\\] Latency: min = \\S+ ms, max = (\\S+) ms");
    private static final Pattern LOG_TIMED = Pattern.compile("Timing trace has (\\d+) queries");

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        System.clearProperty(Trtexec.PROPERTY);
    }

    @Test
    void withAFakeTrtexecOnThePathEveryCellIsMeasuredAndReported() throws Exception {
        Path bin = tmp.resolve("bin");
        FakeTrtexec.install(bin, "8.5", "");
        Path out = tmp.resolve("reports");

        Child run = cli(Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH")), "run", "--runtimes", "tensorrt",
                "--models", "mobilenet_v1", "--variants", "fp32,fp16", "--optimize", "at-load,ahead", "--scale", "tiny", "--cache", cache, "--out", out);

        assertEquals(0, run.exit(), run.output());
        Path dir = runDir(out);
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
        for (String variant : List.of("fp32", "fp16")) {
            for (String optimize : List.of("at-load", "ahead")) {
                String base = "mobilenet_v1/" + variant + "/" + optimize + "/" + CPUS + "/";
                List<ResultRow> cold = cell(rows, base + "cold/tensorrt");
                List<ResultRow> steady = cell(rows, base + "steady/tensorrt");
                assertTrue(Stream.concat(cold.stream(), steady.stream()).allMatch(r -> r.status() == Status.OK), rows.toString());
                Set<String> coldMetrics = metrics(cold);
                assertTrue(coldMetrics.containsAll(Set.of("total", "session", "first_inference")), base + coldMetrics);
                assertEquals(optimize.equals("ahead"), coldMetrics.contains("read"), base + coldMetrics);
                ResultRow total = row(cold, "total");
                assertEquals(3, total.samples(), "3 cold forks: the fewest that give an interval");
                double phases = cold.stream().filter(r -> Set.of("read", "session", "first_inference").contains(r.metric()))
                        .mapToDouble(ResultRow::score).sum();
                assertEquals(total.score(), phases, 1e-6 * total.score());
                assertTrue(metrics(steady).containsAll(STEADY), base + metrics(steady));
                assertTrue(row(steady, "mem.rss.peak").score() > 0 && row(cold, "mem.rss.peak").score() > 0,
                        "trtexec's own memory, sampled while it ran: " + steady);
                assertEquals(9, row(steady, "avg").samples(), "three forks of three iterations");
                assertTrue(row(steady, "avg").error() > 0, steady.toString());
                // The percentiles are over every inference trtexec timed, as its own summary is.
                double max = 0;
                double timed = 0;
                for (int fork = 1; fork <= 3; fork++) {
                    String log = Files.readString(dir.resolve("logs/mobilenet_v1_" + variant + "_" + optimize
                            + "_" + CPUS + "_steady_tensorrt.trtexec-" + fork + ".log"));
                    max = Math.max(max, Double.parseDouble(first(LOG_MAX, log)));
                    timed += Double.parseDouble(first(LOG_TIMED, log));
                }
                assertEquals(max, row(steady, "max").score(), 1e-4);
                assertEquals(timed, row(steady, "inferences").score());
            }
        }
        Map<String, String> conditions = Conditions.read(dir.resolve("conditions.csv"));
        assertEquals("8.5.2", conditions.get("tensorrt.version"));
        assertEquals(bin.resolve("trtexec").toString(), conditions.get("tensorrt.trtexec"));
        assertTrue(conditions.get("tensorrt.command").contains("(ahead) --warmUp=500 --duration=2 --iterations=3"),
                conditions.get("tensorrt.command"));
        assertTrue(Files.exists(dir.resolve("logs/mobilenet_v1_fp16_ahead_" + CPUS + "_cold_tensorrt.trtexec-build.log")));

        Cli.Outcome report = Cli.run("report", dir.resolve("results.csv"));
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.readString(dir.resolve("report.md")).contains("tensorrt"));
        Path diffFile = tmp.resolve("diff.md");
        Cli.Outcome diff = Cli.run("diff", REFERENCE, dir.resolve("results.csv"), "--out", diffFile);
        assertEquals(0, diff.exit(), diff.err());
        String text = Files.readString(diffFile);
        // TensorRT FP16 is the like figure of 2019's TF-TRT FP16: no analogue mark on its column.
        assertTrue(text.contains("| fp16 = tftrt-fp16 |") && text.contains("fp16 = 2019's tftrt-fp16"), text);
        assertFalse(text.contains("fp16 ≈") || text.contains("≈ 2019"), text);
    }

    @Test
    void withoutTrtexecEveryCellIsUnsupportedAndSaysWhy() throws Exception {
        Assumptions.assumeFalse(Files.exists(Trtexec.JETPACK), "this machine has JetPack's trtexec");
        Path out = tmp.resolve("reports");

        Child run = cli(Map.of("PATH", "/usr/bin:/bin"), "run", "--runtimes", "tensorrt", "--models", "mobilenet_v1",
                "--variants", "fp32", "--optimize", "at-load,ahead", "--scale", "tiny", "--cache", cache, "--out", out, "--forks", "1");

        assertEquals(0, run.exit(), "UNSUPPORTED is no failure:\n" + run.output());
        List<ResultRow> rows = ResultsCsv.read(runDir(out).resolve("results.csv")).stream()
                .filter(r -> r.mode() != Mode.FILE).toList();
        assertEquals(4, rows.size(), rows.toString());
        for (ResultRow r : rows) {
            assertEquals(Status.UNSUPPORTED, r.status(), r.toString());
            assertEquals("no trtexec: none on the PATH nor at /usr/src/tensorrt/bin/trtexec (JetPack's); give run "
                    + "--trtexec PATH", r.message().replaceFirst(" \\(log: [^)]*\\)$", ""));
        }
    }

    @Test
    void aModelTrtexecCannotParseIsAnErrorNamingItsFirstUnsupportedNode() throws Exception {
        Path trtexec = FakeTrtexec.install(tmp.resolve("bin"), "8.2", "unsupported");
        Path out = tmp.resolve("reports");

        Cli.Outcome run = Cli.run("run", "--runtimes", "tensorrt", "--models", "mobilenet_v1", "--variants", "fp32",
                "--optimize", "at-load", "--modes", "cold", "--forks", "1", "--scale", "tiny", "--cache", cache,
                "--out", out, "--trtexec", trtexec);

        assertEquals(3, run.exit(), run.err());
        ResultRow r = cell(ResultsCsv.read(runDir(out).resolve("results.csv")), "mobilenet_v1/fp32/at-load/" + CPUS + "/cold/tensorrt").get(0);
        assertEquals(Status.ERROR, r.status());
        assertEquals("trtexec (TensorRT 8.2.1) failed: the ONNX parser stopped at node 4 [Erf -> "
                + "\"MobilenetV1/Conv2d_1_depthwise/gelu\"]: Assertion failed: creator && \"Plugin not found, are the plugin "
                + "name, version, and namespace correct?\" (log: mobilenet_v1_fp32_at-load_" + CPUS + "_cold_tensorrt.log)", r.message());
        assertTrue(Files.readString(runDir(out).resolve("logs/mobilenet_v1_fp32_at-load_" + CPUS + "_cold_tensorrt.trtexec-1.log"))
                .contains("&&&& FAILED TensorRT.trtexec [TensorRT v8201]"));
    }

    @Test
    void aTrtexecThatIsNoProgramIsOneLineOfBadInput() {
        Cli.Outcome run = Cli.run("run", "--runtimes", "tensorrt", "--trtexec", tmp.resolve("missing"));

        assertEquals(2, run.exit());
        assertEquals("error: --trtexec " + tmp.resolve("missing") + " is not an executable file", run.err().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "10.3"})
    void eachVersionBuildsItsOwnSavedEngineAndLoadsIt(String version) throws Exception {
        Path trtexec = FakeTrtexec.install(tmp.resolve("bin"), version, "");
        Path out = tmp.resolve("reports");
        Path models = tmp.resolve("models");

        Cli.Outcome run = Cli.run("run", "--runtimes", "tensorrt", "--models", "mobilenet_v1", "--variants", "fp16",
                "--optimize", "ahead", "--modes", "cold", "--forks", "1", "--scale", "tiny", "--cache", models,
                "--out", out, "--trtexec", trtexec);

        assertEquals(0, run.exit(), run.out() + run.err());
        List<ResultRow> cold = cell(ResultsCsv.read(runDir(out).resolve("results.csv")),
                "mobilenet_v1/fp16/ahead/" + CPUS + "/cold/tensorrt");
        assertTrue(cold.stream().allMatch(r -> r.status() == Status.OK), cold.toString());
        // 8.2 deserializes while loading; later versions log the deserialization apart.
        assertEquals(!version.equals("8.2"), metrics(cold).contains("session"), metrics(cold).toString());
        try (Stream<Path> files = Files.walk(models)) {
            List<String> engines = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".engine")).toList();
            assertEquals(List.of("fp32-float-input.trt" + (version.equals("8.2") ? "8.2.1" : "10.3.0") + ".fp16."
                    + Trtexec.gpu().replaceAll("[^A-Za-z0-9.-]+", "_").toLowerCase(java.util.Locale.ROOT) + ".engine"), engines);
        }
    }

    private record Child(int exit, String output) {}

    /** The jar's command line in a JVM of its own, with {@code env} over this one's environment. */
    private Child cli(Map<String, String> env, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                "slimbench.cli.Main"));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Path log = tmp.resolve("cli.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                throw new AssertionError("the run did not end:\n" + Files.readString(log));
            }
            return new Child(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static Path runDir(Path reports) throws IOException {
        try (Stream<Path> s = Files.walk(reports)) {
            return s.filter(p -> p.getFileName().toString().equals("results.csv")).findFirst().orElseThrow().getParent();
        }
    }

    private static List<ResultRow> cell(List<ResultRow> rows, String key) {
        List<ResultRow> c = rows.stream().filter(r -> r.key().equals(key)).toList();
        assertFalse(c.isEmpty(), "no rows of " + key + " in " + rows);
        return c;
    }

    private static ResultRow row(List<ResultRow> cell, String metric) {
        return cell.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow(() -> new AssertionError(
                "no " + metric + " in " + cell));
    }

    private static Set<String> metrics(List<ResultRow> cell) {
        return cell.stream().map(ResultRow::metric).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " not in:\n" + text);
        return m.group(1);
    }
}
