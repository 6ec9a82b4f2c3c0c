package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import slimbench.probe.MemoryProfiler;

/**
 * The benchmarks on ONNX Runtime ({@code runtime=onnxruntime}) run as JMH runs every cell (one fork, the runner's profilers), on a
 * scaled-down model: the cold start reports the read, session and first-inference phases and no
 * import phase, the steady state its latencies, both the memory probe's results.
 */
class OnnxRuntimeBenchmarksTest {
    @TempDir
    static Path cache;

    private static RunResult run(String benchmark, ChainedOptionsBuilder options) throws Exception {
        Collection<RunResult> results = new Runner(options
                .include("^" + benchmark + "$")
                .param("runtime", "onnxruntime")
                .param("model", "mobilenet_v2")
                .param("variant", "fp32")
                .param("threads", "1")
                .param("scale", "tiny")
                .param("cache", cache.toString())
                .addProfiler(Breakdown.class)
                .addProfiler(MemoryProfiler.class)
                .shouldFailOnError(true)
                .forks(1)
                .jvmArgs("-Xmx512m", "-XX:+UseParallelGC")
                .build()).run();
        assertEquals(1, results.size());
        return results.iterator().next();
    }

    @Test
    void coldStartReportsItsPhasesAndMemory() throws Exception {
        RunResult r = run(ColdStart.class.getName() + ".loadAndInferOnce",
                new OptionsBuilder().warmupIterations(0).measurementIterations(1));
        Map<String, Result> s = r.getSecondaryResults();
        assertTrue(r.getPrimaryResult().getScore() > 0);
        for (String phase : new String[] {"phase.read", "phase.session", "phase.first_inference"}) {
            assertTrue(s.containsKey(phase) && s.get(phase).getScore() > 0, phase + " in " + s.keySet());
        }
        assertFalse(s.containsKey("phase.import"), "ONNX Runtime has no import phase of its own: " + s.keySet());
        assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("mem.")), s.keySet().toString());
    }

    @Test
    void steadyStateReportsItsLatencies() throws Exception {
        TimeValue t = TimeValue.milliseconds(200);
        RunResult r = run(SteadyState.class.getName() + ".infer",
                new OptionsBuilder().warmupIterations(0).measurementIterations(2).measurementTime(t));
        Map<String, Result> s = r.getSecondaryResults();
        assertTrue(r.getPrimaryResult().getScore() > 0);
        assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("latency")), s.keySet().toString());
        assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("mem.")), s.keySet().toString());
    }
}
