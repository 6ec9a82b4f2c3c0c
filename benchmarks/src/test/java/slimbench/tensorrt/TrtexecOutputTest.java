package slimbench.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import slimbench.stats.Percentiles;

/**
 * Each supported trtexec version's output, reconstructed from NVIDIA's sources (test resources
 * {@code trtexec/<version>/}, docs/tensorrt.md), read by {@link TrtexecOutput}; the latencies read
 * from {@code --exportTimes} give back the summary trtexec printed from the same inferences.
 *
 * <p>How to run: {@code mvn test -Dtest=TrtexecOutputTest}
 */
class TrtexecOutputTest {
    private static final Pattern SUMMARY = Pattern.compile("\\] Latency: min = (\\S+) ms, max = (\\S+) ms, "
            + "mean = (\\S+) ms, median = (\\S+) ms((?:, percentile\\(\\S+%\\) = \\S+ ms)+)");
    private static final Pattern PERCENTILE = Pattern.compile("percentile\\((\\S+)%\\) = (\\S+) ms");
    private static final Pattern TIMED = Pattern.compile("Timing trace has (\\d+) queries");
    private static final Pattern WARM_UP = Pattern.compile("Warmup completed (\\d+) queries over (\\d+) ms");

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "8.5", "10.3"})
    void aBuildAndRunLogSaysVersionDeviceAndBuildTime(String version) {
        TrtexecOutput.Log log = TrtexecOutput.log(read(version, "build-run.log"));

        assertTrue(log.passed());
        assertTrue(log.failure().isEmpty());
        assertEquals(version, log.version().orElseThrow().major() + "." + log.version().get().minor());
        assertEquals(switch (version) {
            case "8.2" -> "NVIDIA Tegra X1";
            case "8.5" -> "Xavier";
            default -> "Orin";
        }, log.device().orElseThrow());
        assertTrue(log.builtSeconds().orElseThrow() > 1);
        assertTrue(log.loadedSeconds().isEmpty());
        // 8.2 deserializes inside the build; later versions say so on a line of its own.
        assertEquals(!version.equals("8.2"), log.deserializedSeconds().isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "8.5", "10.3"})
    void aLoadLogSaysHowLongTheEngineTookToLoad(String version) {
        TrtexecOutput.Log log = TrtexecOutput.log(read(version, "load-run.log"));

        assertTrue(log.passed());
        assertTrue(log.builtSeconds().isEmpty());
        assertTrue(log.loadedSeconds().orElseThrow() > 0);
        assertEquals(!version.equals("8.2"), log.deserializedSeconds().isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "8.5", "10.3"})
    void theTimedInferencesGiveBackTheSummaryTrtexecPrinted(String version) {
        String logText = read(version, "build-run.log");
        List<TrtexecOutput.Inference> all = TrtexecOutput.times(read(version, "times.json"));
        Matcher warm = WARM_UP.matcher(logText);
        assertTrue(warm.find());

        List<TrtexecOutput.Inference> timed = TrtexecOutput.timed(all, Double.parseDouble(warm.group(2)));

        Matcher count = TIMED.matcher(logText);
        assertTrue(count.find());
        assertEquals(Integer.parseInt(count.group(1)), timed.size());
        // 8.2 writes its warm-up inferences into the file as well; later versions do not.
        assertEquals(version.equals("8.2") ? Integer.parseInt(warm.group(1)) : 0, all.size() - timed.size());
        Matcher summary = SUMMARY.matcher(logText);
        assertTrue(summary.find(), "no latency summary");
        double[] ms = timed.stream().mapToDouble(TrtexecOutput.Inference::latencyMs).toArray();
        // The log's figures are floats printed to 6 digits, as are the file's latencies.
        assertEquals(Double.parseDouble(summary.group(3)), Arrays.stream(ms).average().orElseThrow(), 1e-5);
        assertEquals(Double.parseDouble(summary.group(2)), Arrays.stream(ms).max().orElseThrow(), 1e-5);
        long[] sorted = Arrays.stream(ms).mapToLong(v -> Math.round(v * 1e6)).sorted().toArray();
        Matcher p = PERCENTILE.matcher(summary.group(5));
        int percentiles = 0;
        while (p.find()) { // trtexec's percentile is the nearest rank, as SlimBench's
            assertEquals(Double.parseDouble(p.group(2)), Percentiles.of(sorted, Double.parseDouble(p.group(1))) / 1e6, 1e-5,
                    "percentile " + p.group(1));
            percentiles++;
        }
        assertEquals(version.equals("8.2") ? 1 : 3, percentiles);
        assertTrue(timed.stream().allMatch(i -> i.endD2hMs() > i.startEnqMs() && i.latencyMs() > 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "8.5", "10.3"})
    void theExportedOutputIsTheProbabilityVector(String version) {
        List<TrtexecOutput.Tensor> out = TrtexecOutput.outputs(read(version, "output.json"));

        assertEquals(1, out.size());
        assertEquals("scores", out.get(0).name());
        assertEquals(List.of(1, 10), Arrays.stream(out.get(0).dimensions()).boxed().toList());
        double sum = 0;
        for (float v : out.get(0).values()) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.2", "8.5", "10.3"})
    void aFailedParseNamesTheFirstUnsupportedNode(String version) {
        TrtexecOutput.Log log = TrtexecOutput.log(read(version, "unsupported.log"));

        assertFalse(log.passed());
        String why = log.failure().orElseThrow();
        assertTrue(why.startsWith("the ONNX parser stopped at node 4 [Erf -> \"MobilenetV1/Conv2d_1_depthwise/gelu\"]: "
                + "Assertion failed: creator"), why);
        assertTrue(why.contains("Plugin not found"), why);
        assertTrue(log.builtSeconds().isEmpty());
    }

    @Test
    void versionsReadFromEitherSpelling() {
        assertEquals(new TrtVersion(8, 2, 1), TrtVersion.ofNumber(8201));
        assertEquals(new TrtVersion(8, 5, 2), TrtVersion.ofNumber(8502));
        assertEquals(new TrtVersion(10, 3, 0), TrtVersion.ofNumber(100300));
        assertEquals(new TrtVersion(10, 13, 2), TrtVersion.ofNumber(101302));
        assertEquals(new TrtVersion(8, 6, 1),
                TrtVersion.in("&&&& RUNNING TensorRT.trtexec [TensorRT v8601] # trtexec --help\n").orElseThrow());
        assertTrue(new TrtVersion(8, 5, 2).atLeast(8, 5));
        assertFalse(new TrtVersion(8, 2, 1).atLeast(8, 5));
    }

    @Test
    void aDamagedFileIsOneClearError() {
        IllegalArgumentException times = assertThrows(IllegalArgumentException.class,
                () -> TrtexecOutput.times("[ { \"startEnqMs\" : 1 } ]"));
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> TrtexecOutput.outputs("[ { \"name\" : \"scores\", \"dimensions\" : \"1x3\", \"values\" : [ 1, 2 ] } ]"));
        IllegalArgumentException torn = assertThrows(IllegalArgumentException.class,
                () -> TrtexecOutput.times("[ { \"startEnqMs\" : 1,"));

        assertTrue(times.getMessage().contains("without a number startComputeMs"), times.getMessage());
        assertTrue(output.getMessage().contains("2 values for dimensions 1x3"), output.getMessage());
        assertTrue(torn.getMessage().startsWith("--exportTimes JSON cannot be read"), torn.getMessage());
    }

    static String read(String version, String name) {
        try {
            return Files.readString(fixture(version, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fixture(String version, String name) {
        try {
            return Path.of(TrtexecOutputTest.class.getResource("/trtexec/" + version + "/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
