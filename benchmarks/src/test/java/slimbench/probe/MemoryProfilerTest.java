package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.Profiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.options.ProfilerConfig;

class MemoryProfilerTest {

    private static final Duration FAST = Duration.ofMillis(2);

    /** One iteration: before, some sampling time, an optional change to the tree, after. */
    private static Map<String, Result> iteration(MemoryProfiler profiler, Runnable during) throws InterruptedException {
        profiler.beforeIteration(null, null);
        Thread.sleep(20);
        during.run();
        Thread.sleep(20);
        Map<String, Result> byLabel = new LinkedHashMap<>();
        for (Result r : profiler.afterIteration(null, null, null)) {
            byLabel.put(r.getLabel(), r);
        }
        return byLabel;
    }

    private static void assertResult(Map<String, Result> results, String label, double score, String unit) {
        Result r = results.get(label);
        assertTrue(r != null, label + " missing from " + results.keySet());
        assertEquals(score, r.getScore(), 1e-9, label);
        assertEquals(unit, r.getScoreUnit(), label);
    }

    @Test
    void jetsonNanoIterationReportsEverySource() throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.JETSON_NANO), FAST, Optional.empty());
        Map<String, Result> r = iteration(profiler, () -> { });

        assertResult(r, "mem.rss.peak", 1800.0, "MiB");
        assertResult(r, "mem.avail.min", 1024.0, "MiB");
        assertResult(r, "mem.total", 4059712 / 1024.0, "MiB");
        assertResult(r, "mem.swap.used.max", 400.0, "MiB");
        assertResult(r, "mem.swap.in", 0.0, "pages");
        assertResult(r, "mem.swap.out", 0.0, "pages");
        assertResult(r, "mem.majflt", 0.0, "count");
        assertResult(r, "mem.nvmap.peak", 768.0, "MiB");
        assertResult(r, "gpu.load.max", 53.7, "%");
        assertResult(r, "gpu.load.avg", 53.7, "%");
        assertResult(r, "gpu.freq", 921.6, "MHz");
        assertResult(r, "emc.freq", 1600.0, "MHz");
        assertResult(r, "thermal.max", 45.0, "C");
        assertResult(r, "mem.pressure", Pressure.NONE.code(), "level");
        assertTrue(r.get("mem.heap.peak").getScore() > 0, "the test JVM has a heap");
        assertFalse(r.containsKey("gpu.mem.used.max"), "no nvidia-smi given");
    }

    @Test
    void pcIterationOmitsJetsonSources() throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.PC), FAST, Optional.empty());
        Map<String, Result> r = iteration(profiler, () -> { });
        assertResult(r, "mem.rss.peak", 3072.0, "MiB");
        assertResult(r, "mem.avail.min", 25600.0, "MiB");
        assertResult(r, "mem.swap.used.max", 0.0, "MiB");
        assertResult(r, "thermal.max", 52.0, "C");
        for (String jetsonOnly : new String[] {"mem.nvmap.peak", "gpu.load.max", "gpu.load.avg", "gpu.freq", "emc.freq"}) {
            assertFalse(r.containsKey(jetsonOnly), jetsonOnly + " must be omitted, not zero");
        }
    }

    @Test
    void swapTrafficAndFaultsDuringTheIterationAreCountedAndJudged(@TempDir Path dir) throws Exception {
        Path tree = Trees.copy(Trees.JETSON_NANO, dir);
        MemoryProfiler profiler = new MemoryProfiler(Roots.under(tree), FAST, Optional.empty());
        Map<String, Result> r = iteration(profiler, () -> {
            replace(tree.resolve("proc/vmstat"), "pswpout 98112", "pswpout 98368");
            replace(tree.resolve("proc/self/stat"), " 152331 0 1207 ", " 152331 0 1250 ");
        });
        assertResult(r, "mem.swap.out", 256.0, "pages");
        assertResult(r, "mem.swap.in", 0.0, "pages");
        assertResult(r, "mem.majflt", 43.0, "count");
        assertResult(r, "mem.pressure", Pressure.SWAP.code(), "level");
    }

    @Test
    void aDipInAvailableMemoryIsCaughtAsTheMinimum(@TempDir Path dir) throws Exception {
        Path tree = Trees.copy(Trees.JETSON_NANO, dir);
        MemoryProfiler profiler = new MemoryProfiler(Roots.under(tree), FAST, Optional.empty());
        Map<String, Result> r = iteration(profiler, () -> {
            replace(tree.resolve("proc/meminfo"), "MemAvailable:    1048576 kB", "MemAvailable:      81920 kB");
            sleep(20);
            replace(tree.resolve("proc/meminfo"), "MemAvailable:      81920 kB", "MemAvailable:    1048576 kB");
        });
        assertResult(r, "mem.avail.min", 80.0, "MiB");
        assertResult(r, "mem.pressure", Pressure.OOM_RISK.code(), "level");
    }

    @Test
    void whenTheKernelPeakCanBeResetItIsThePeak(@TempDir Path dir) throws Exception {
        Path tree = Trees.copy(Trees.JETSON_NANO, dir);
        Files.writeString(tree.resolve("proc/self/clear_refs"), "");
        MemoryProfiler profiler = new MemoryProfiler(Roots.under(tree), FAST, Optional.empty());
        Map<String, Result> r = iteration(profiler, () -> { });
        assertEquals("5", Files.readString(tree.resolve("proc/self/clear_refs")));
        assertResult(r, "mem.rss.peak", 2100.0, "MiB");
    }

    @Test
    void missingAndMalformedTreesLeaveOnlyHeapAndVerdict(@TempDir Path dir) throws Exception {
        for (Roots roots : new Roots[] {Trees.empty(dir), Trees.roots(Trees.BROKEN)}) {
            MemoryProfiler profiler = new MemoryProfiler(roots, FAST, Optional.empty());
            Map<String, Result> r = iteration(profiler, () -> { });
            assertEquals(Set.of("mem.heap.peak", "mem.pressure"), r.keySet(), roots.toString());
            assertResult(r, "mem.pressure", Pressure.NONE.code(), "level");
        }
    }

    @Test
    void nvidiaSmiStreamBecomesGpuMemoryResults(@TempDir Path dir) throws Exception {
        Path smi = NvidiaSmiTest.fakeNvidiaSmi(dir, "0, 1536, 8192, 40.0", "1, 2048, 8192, 60.5");
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.PC), FAST, Optional.of(smi.toString()));
        Map<String, Result> r = iteration(profiler, () -> sleep(150));
        assertResult(r, "gpu.mem.used.max", 2048.0, "MiB");
        assertResult(r, "gpu.mem.total", 8192.0, "MiB");
        assertResult(r, "power.gpu0.mean", 40.0, "W");
        assertResult(r, "power.gpu1.mean", 60.5, "W");
        assertResult(r, "power.total.mean", 100.5, "W");
    }

    @Test
    void theProfilerCanRunManyIterations() throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.JETSON_NANO), FAST, Optional.empty());
        for (int i = 0; i < 3; i++) {
            assertResult(iteration(profiler, () -> { }), "mem.nvmap.peak", 768.0, "MiB");
        }
    }

    @Test
    void coldStartPhaseMarksBecomeResultsOfTheirIteration() throws Exception {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.PC), FAST, Optional.empty());
        ProcessMemory.markPhase("stale");
        Map<String, Result> r = iteration(profiler, () -> {
            ProcessMemory.markPhase("read");
            ProcessMemory.markPhase("first_run");
        });
        assertFalse(r.containsKey("mem.rss.after.stale"), "marks from before the iteration are dropped");
        assertTrue(r.get("mem.rss.after.read").getScore() > 1, "live RSS of this JVM in MiB");
        assertEquals("MiB", r.get("mem.rss.after.first_run").getScoreUnit());
        assertFalse(iteration(profiler, () -> { }).containsKey("mem.rss.after.read"), "marks belong to one iteration");
        assertThrows(IllegalArgumentException.class, () -> ProcessMemory.markPhase("First Run"));
    }

    @Test
    void stopWithoutStartReportsOnlyTheVerdict() {
        MemoryProfiler profiler = new MemoryProfiler(Trees.roots(Trees.JETSON_NANO), FAST, Optional.empty());
        List<String> labels = profiler.afterIteration(null, null, null).stream().map(Result::getLabel).toList();
        assertEquals(List.of("mem.pressure"), labels);
    }

    @Test
    void liveIterationSeesThisProcess() throws Exception {
        Map<String, Result> r = iteration(new MemoryProfiler(), () -> { });
        assertTrue(r.get("mem.rss.peak").getScore() > 1, "RSS of a JVM is above 1 MiB");
        assertTrue(r.get("mem.avail.min").getScore() > 0);
        assertTrue(r.get("mem.heap.peak").getScore() > 0);
    }

    @Test
    void periodOptionIsParsedAndBadOptionsAreRejected() throws Exception {
        new MemoryProfiler("period=5");
        new MemoryProfiler("");
        assertThrows(ProfilerException.class, () -> new MemoryProfiler("perod=5"));
        assertThrows(ProfilerException.class, () -> new MemoryProfiler("period=0"));
        assertThrows(ProfilerException.class, () -> new MemoryProfiler("period=fast"));
        new MemoryProfiler("idle=0");
        new MemoryProfiler("period=5;idle=500");
        assertThrows(ProfilerException.class, () -> new MemoryProfiler("idle=-1"));
        assertThrows(ProfilerException.class, () -> new MemoryProfiler("period=5;idel=0"));
    }

    @Test
    void jmhFindsItByClassNameButNotByShortName() throws Exception {
        assertTrue(ServiceLoader.load(Profiler.class).stream().anyMatch(p -> p.type() == MemoryProfiler.class),
            "registered in META-INF/services");
        Profiler byName = ProfilerFactory.getProfilerOrException(
            new ProfilerConfig(MemoryProfiler.class.getName(), "period=5"));
        assertInstanceOf(MemoryProfiler.class, byName);
        assertThrows(ProfilerException.class,
            () -> ProfilerFactory.getProfilerOrException(new ProfilerConfig("MemoryProfiler", "")),
            "JMH 1.37 keeps short names for its built-in profilers");
    }

    @Test
    void peaksAggregateByMaxMinimaByMinTheRestByAverage() {
        Set<String> constantsAndVerdict = Set.of("mem.total", "gpu.mem.total", "mem.pressure");
        for (Metric m : Metric.values()) {
            String label = m.label();
            AggregationPolicy expected = label.endsWith(".peak") || label.endsWith(".max") || constantsAndVerdict.contains(label)
                ? AggregationPolicy.MAX
                : label.endsWith(".min") ? AggregationPolicy.MIN : AggregationPolicy.AVG;
            assertEquals(expected, m.policy(), label);
            assertEquals(Optional.of(m), Metric.byLabel(label));
        }
    }

    private static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            assertTrue(text.contains(from), from + " not in " + file);
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
