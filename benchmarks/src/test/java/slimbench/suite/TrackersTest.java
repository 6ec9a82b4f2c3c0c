package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * The tracker files against each format's documented schema: github-action-benchmark's
 * {@code customSmallerIsBetter} (its {@code BenchmarkResult}: name, unit, value required; range and
 * extra optional strings; a non-empty array) and Bencher's BMF JSON schema (an object of benchmark
 * names, each an object of measures, each with a number {@code value} and optional number
 * {@code lower_value}/{@code upper_value}; a measure slug at most 64 characters, a benchmark name
 * at most 1024).
 */
class TrackersTest {
    private static final Set<String> ACTION_FIELDS = Set.of("name", "unit", "value", "range", "extra");
    private static final Set<String> BMF_FIELDS = Set.of("value", "lower_value", "upper_value");

    @TempDir
    Path dir;

    /** Two cells that differ only in threads, two only in runtime, a failed cell and a re-run cell. */
    private static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        for (String runtime : List.of("tensorflow", "onnxruntime")) {
            for (int threads : List.of(1, 2)) {
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.STEADY, Engine.of(runtime)), "avg",
                        2.5 / threads, 0.1, "ms", 15, Status.OK, "", "none"));
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.STEADY, Engine.of(runtime)), "p99",
                        4.0, Double.NaN, "ms", 3000, Status.OK, "", "none+disturbed"));
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.STEADY, Engine.of(runtime)),
                        "mem.rss.peak", 400, Double.NaN, "MiB", 3, Status.OK, "", "none"));
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.STEADY, Engine.of(runtime)),
                        "energy.per_inference", 12.5, 20, "mJ", 3, Status.OK, "", "none"));
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.COLD, Engine.of(runtime)), "total",
                        140, Double.NaN, "ms", 2, Status.OK, "", "none"));
                rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, threads, Mode.COLD, Engine.of(runtime)),
                        "mem.rss.peak", 380, Double.NaN, "MiB", 2, Status.OK, "", "none"));
            }
        }
        rows.add(new ResultRow(new Cell(Model.VGG_16, Variant.FP32, Optimize.AHEAD, 2, Mode.STEADY, Engine.TENSORFLOW), "avg", Double.NaN,
                Double.NaN, "ms", 0, Status.OOM, "out of memory", "swap"));
        // inception_v1 cold ran twice (a resume with --retry-failed): the later row is the figure
        rows.add(new ResultRow(new Cell(Model.INCEPTION_V1, Variant.FP32, Optimize.AHEAD, 2, Mode.COLD, Engine.TENSORFLOW), "total", Double.NaN,
                Double.NaN, "ms", 0, Status.TIMEOUT, "", "none"));
        rows.add(new ResultRow(new Cell(Model.INCEPTION_V1, Variant.FP32, Optimize.AHEAD, 2, Mode.COLD, Engine.TENSORFLOW), "total", 300,
                Double.NaN, "ms", 2, Status.OK, "", "none"));
        // a file size is no measure a tracker plots
        rows.add(new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, 0, Mode.FILE, Engine.TENSORFLOW), "file_size", 16,
                Double.NaN, "MiB", 1, Status.OK, "sha256=00", ""));
        return rows;
    }

    @Test
    void benchmarkActionFileFollowsCustomSmallerIsBetter() throws IOException {
        Trackers.write(rows(), dir);
        JsonElement root = JsonParser.parseString(Files.readString(dir.resolve(Trackers.BENCHMARK_ACTION)));
        assertTrue(root.isJsonArray(), "an array of entries");
        assertFalse(root.getAsJsonArray().isEmpty(), "the action fails on an empty array");
        Set<String> names = new HashSet<>();
        for (JsonElement e : root.getAsJsonArray()) {
            assertTrue(e.isJsonObject(), e.toString());
            JsonObject o = e.getAsJsonObject();
            assertTrue(ACTION_FIELDS.containsAll(o.keySet()), "only BenchmarkResult's fields: " + o.keySet());
            for (String required : List.of("name", "unit", "value")) {
                assertTrue(o.has(required), required + " is required: " + o);
            }
            assertTrue(o.get("name").getAsJsonPrimitive().isString(), o.toString());
            assertTrue(o.get("unit").getAsJsonPrimitive().isString(), o.toString());
            assertTrue(o.get("value").getAsJsonPrimitive().isNumber(), o.toString());
            for (String optional : List.of("range", "extra")) {
                assertTrue(!o.has(optional) || o.get(optional).getAsJsonPrimitive().isString(), o.toString());
            }
            assertTrue(names.add(o.get("name").getAsString()), "a name is one series: " + o.get("name"));
        }
        // 2 runtimes x 2 thread counts x 6 measures, and the re-run cell's total; no failed cell, no file size
        assertEquals(2 * 2 * 6 + 1, names.size(), names.toString());
        assertTrue(names.contains("mobilenet_v1/fp32/ahead/1/steady/tensorflow steady mean"), names.toString());
        assertTrue(names.contains("mobilenet_v1/fp32/ahead/2/steady/onnxruntime steady mean"), names.toString());
        assertTrue(names.contains("inception_v1/fp32/ahead/2/cold/tensorflow cold total"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("vgg_16")), "a failed cell has no figure");
        JsonObject mean = entry(root, "mobilenet_v1/fp32/ahead/2/steady/onnxruntime steady mean");
        assertEquals(1.25, mean.get("value").getAsDouble());
        assertEquals("ms", mean.get("unit").getAsString());
        assertEquals("± 0.1", mean.get("range").getAsString());
        assertEquals(300, entry(root, "inception_v1/fp32/ahead/2/cold/tensorflow cold total").get("value").getAsDouble());
    }

    @Test
    void bencherFileFollowsTheBmfSchema() throws IOException {
        Trackers.write(rows(), dir);
        JsonElement root = JsonParser.parseString(Files.readString(dir.resolve(Trackers.BENCHER)));
        assertTrue(root.isJsonObject(), "BMF is an object of benchmarks");
        int metrics = 0;
        for (Map.Entry<String, JsonElement> benchmark : root.getAsJsonObject().entrySet()) {
            assertTrue(!benchmark.getKey().isEmpty() && benchmark.getKey().length() <= 1024, benchmark.getKey());
            assertTrue(benchmark.getValue().isJsonObject(), benchmark.toString());
            for (Map.Entry<String, JsonElement> measure : benchmark.getValue().getAsJsonObject().entrySet()) {
                assertTrue(measure.getKey().matches("[a-z0-9-]{1,64}"), "a measure slug: " + measure.getKey());
                assertTrue(measure.getValue().isJsonObject(), measure.toString());
                JsonObject m = measure.getValue().getAsJsonObject();
                assertTrue(BMF_FIELDS.containsAll(m.keySet()), m.keySet().toString());
                assertTrue(m.has("value"), "value is required: " + m);
                for (String f : m.keySet()) {
                    assertTrue(m.get(f).getAsJsonPrimitive().isNumber(), f + " is a number: " + m);
                }
                if (m.has("lower_value")) {
                    assertTrue(m.get("lower_value").getAsDouble() >= 0, "no negative time or energy: " + m);
                    assertTrue(m.get("lower_value").getAsDouble() <= m.get("value").getAsDouble()
                            && m.get("value").getAsDouble() <= m.get("upper_value").getAsDouble(), m.toString());
                }
                metrics++;
            }
        }
        assertEquals(2 * 2 * 6 + 1, metrics);
        JsonObject steady = root.getAsJsonObject().getAsJsonObject("mobilenet_v1/fp32/ahead/1/steady/onnxruntime");
        assertEquals(Set.of("steady-mean-ms", "steady-p99-ms", "steady-peak-rss-mib", "energy-per-inference-mj"),
                steady.keySet());
        JsonObject mean = steady.getAsJsonObject("steady-mean-ms");
        assertEquals(2.4, mean.get("lower_value").getAsDouble(), 1e-9);
        assertEquals(2.6, mean.get("upper_value").getAsDouble(), 1e-9);
        assertFalse(steady.getAsJsonObject("steady-p99-ms").has("lower_value"), "no interval, no bounds");
    }

    @Test
    void theDefaultRuntimeIsSpelledOutSoThatNoSeriesIsTwoCells() {
        Cell tf = new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, 2, Mode.STEADY);
        Cell ort = new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AHEAD, 2, Mode.STEADY, Engine.ONNXRUNTIME);
        assertEquals("mobilenet_v1/fp32/ahead/2/steady/tensorflow", Trackers.series(tf));
        assertEquals("mobilenet_v1/fp32/ahead/2/steady/onnxruntime", Trackers.series(ort));
    }

    private static JsonObject entry(JsonElement root, String name) {
        for (JsonElement e : root.getAsJsonArray()) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no entry " + name);
    }
}
