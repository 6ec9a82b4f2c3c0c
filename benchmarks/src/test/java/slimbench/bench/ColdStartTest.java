package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import slimbench.model.CellMetric;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * A cold shot on either engine, as the runner's cells run it: its phases (the rest as {@code
 * other}) add up to the time JMH measured, and the model's bytes were as cached as asked when the
 * shot began: evicted by default, read through with {@code fileCache=warm}.
 */
class ColdStartTest {
    /** On the build's own disk: a temporary folder may be a tmpfs, which keeps its pages whatever it is told. */
    private static Path cache;

    @BeforeAll
    static void models() throws Exception {
        Files.createDirectories(Path.of("target"));
        cache = Files.createTempDirectory(Path.of("target"), "coldstart");
        for (Optimize o : Optimize.values()) {
            Generator.ensure(cache, Model.MOBILENET_V1, Precision.FP32, o, Scale.TINY, 1);
        }
        Generator.ensureOnnx(cache, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1);
    }

    @ParameterizedTest
    @CsvSource({"tensorflow, at-load, cold", "tensorflow, ahead, warm", "onnxruntime, ahead, cold",
            "onnxruntime, ahead, warm"})
    void phasesAddUpAndTheFileIsAsCachedAsAsked(String runtime, String optimize, String fileCache) throws Exception {
        RunResult r = new Runner(new OptionsBuilder()
                .include("^" + ColdStart.class.getName() + ".loadAndInferOnce$")
                .param("runtime", runtime).param("model", "mobilenet_v1").param("variant", "fp32")
                .param("optimize", optimize).param("threads", "1").param("scale", "tiny")
                .param("cache", cache.toAbsolutePath().toString()).param("fileCache", fileCache)
                .addProfiler(Breakdown.class).shouldFailOnError(true).forks(1)
                .warmupIterations(0).measurementIterations(1)
                .jvmArgs("-Xmx512m", "-XX:+UseParallelGC").build()).run().iterator().next();
        Map<String, Result> s = r.getSecondaryResults();
        double total = r.getPrimaryResult().getScore();
        double phases = 0;
        for (CellMetric p : new CellMetric[] {CellMetric.READ, CellMetric.IMPORT, CellMetric.SESSION,
                CellMetric.FIRST_INFERENCE, CellMetric.OTHER}) {
            Result phase = s.get(Breakdown.PHASE + p.label());
            phases += phase == null ? 0 : phase.getScore();
        }
        assertTrue(s.get(Breakdown.PHASE + CellMetric.OTHER.label()).getScore() >= 0, s.keySet().toString());
        assertEquals(total, phases, total * 0.01, "the phases " + s.keySet() + " add up to the shot's " + total + " ms");

        double resident = s.get(CellMetric.FILE_RESIDENT_BEFORE.label()).getScore();
        if (fileCache.equals("warm")) {
            assertTrue(resident >= 95, "warm: " + resident + "% resident");
        } else {
            assumeFalse(Files.getFileStore(cache).type().equals("tmpfs"), "a tmpfs keeps its pages");
            assertTrue(resident <= 5, "cold: " + resident + "% resident");
        }
    }
}
