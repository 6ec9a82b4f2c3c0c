package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Another process tree's memory, read while it runs: its resident peak, and no GPU figure where there is none. */
class ProcessTreeMemoryTest {
    @Test
    void aTreesResidentPeakIsReadWhileItRuns() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc");
        // A child holding 64 MiB under a shell: the tree's peak counts the child's memory.
        Process p = new ProcessBuilder("sh", "-c", "head -c 67108864 /dev/zero | tail -c 67108864 > /dev/null; sleep 0.3")
                .start();
        Map<Metric, Double> peaks;
        try (ProcessTreeMemory m = ProcessTreeMemory.watch(p.toHandle(), Roots.system(), Optional.empty())) {
            p.waitFor();
            peaks = m.peaks();
        }
        assertTrue(peaks.getOrDefault(Metric.RSS_PEAK, 0.0) > 32, "tail holds its 64 MiB: " + peaks);
        assertFalse(peaks.containsKey(Metric.GPU_MEM_USED_MAX), "no nvidia-smi given: " + peaks);
    }

    @Test
    void onAJetsonTheGpusShareOfUnifiedMemoryIsReadToo(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("meminfo"), "MemTotal:        4059272 kB\nMemAvailable:    2000000 kB\n"
                + "NvMapMemUsed:     204800 kB\n");
        Roots roots = new Roots(proc, root.resolve("sys"), root.resolve("etc"), root.resolve("var"));
        Process p = new ProcessBuilder("sleep", "0.3").start();
        Map<Metric, Double> peaks;
        try (ProcessTreeMemory m = ProcessTreeMemory.watch(p.toHandle(), roots, Optional.empty())) {
            p.waitFor();
            peaks = m.peaks();
        }
        assertTrue(Math.abs(peaks.get(Metric.NVMAP_PEAK) - 200.0) < 1e-9, peaks.toString());
    }
}
