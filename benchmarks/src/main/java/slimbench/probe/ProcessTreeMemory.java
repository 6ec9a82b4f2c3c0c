package slimbench.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The memory of another process and its descendants while it runs (a {@code tensorrt} cell's
 * trtexec, which no JMH profiler sits in): the tree's peak resident memory from {@code
 * /proc/PID/status}, and, where the machine has them, the peak of the Jetson's NvMap allocations
 * (the GPU's share of unified memory, {@code /proc/meminfo}) and of an NVIDIA GPU's used memory
 * (streamed by {@code nvidia-smi}). Sampled in a daemon thread every {@link #PERIOD}; read-only.
 */
public final class ProcessTreeMemory implements AutoCloseable {
    /** As often as the forks' own memory sampler. */
    static final Duration PERIOD = Duration.ofMillis(50);

    private final ProcessHandle root;
    private final Path proc;
    private final ProcMeminfo meminfo;
    private final Optional<NvidiaSmi> smi;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long rssPeak;
    private volatile long nvmapPeak = -1;

    private ProcessTreeMemory(ProcessHandle root, Roots roots, Optional<String> nvidiaSmi) {
        this.root = root;
        this.proc = roots.proc();
        this.meminfo = new ProcMeminfo(proc);
        this.smi = nvidiaSmi.flatMap(exe -> NvidiaSmi.start(NvidiaSmi.query(exe, PERIOD.multipliedBy(2))));
        this.thread = new Thread(this::sample, "slimbench-tree-memory");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching {@code root}'s tree (with nvidia-smi where it is on the PATH). */
    public static ProcessTreeMemory watch(ProcessHandle root) {
        return new ProcessTreeMemory(root, Roots.system(), NvidiaSmi.onPath());
    }

    /** {@link #watch} with other roots and nvidia-smi (tests: a recorded tree). */
    static ProcessTreeMemory watch(ProcessHandle root, Roots roots, Optional<String> nvidiaSmi) {
        return new ProcessTreeMemory(root, roots, nvidiaSmi);
    }

    private void sample() {
        while (running) {
            long rss = ProcStatus.residentBytes(proc, root.pid());
            for (ProcessHandle h : root.descendants().toList()) {
                rss += ProcStatus.residentBytes(proc, h.pid());
            }
            rssPeak = Math.max(rssPeak, rss);
            if (Files.isReadable(proc.resolve("meminfo")) && meminfo.reload()) {
                meminfo.nvMapUsedBytes().ifPresent(b -> nvmapPeak = Math.max(nvmapPeak, b));
            }
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops sampling and returns the peaks by metric name, in MiB ({@link Metric#RSS_PEAK},
     * {@link Metric#NVMAP_PEAK}, {@link Metric#GPU_MEM_USED_MAX}), each only where it was read.
     */
    public Map<Metric, Double> peaks() {
        close();
        Map<Metric, Double> out = new LinkedHashMap<>();
        double mib = 1024.0 * 1024.0;
        if (rssPeak > 0) {
            out.put(Metric.RSS_PEAK, rssPeak / mib);
        }
        if (nvmapPeak >= 0) {
            out.put(Metric.NVMAP_PEAK, nvmapPeak / mib);
        }
        smi.flatMap(s -> {
            java.util.OptionalLong m = s.maxUsedMiB();
            return m.isPresent() ? Optional.of((double) m.getAsLong()) : Optional.empty();
        }).ifPresent(v -> out.put(Metric.GPU_MEM_USED_MAX, v));
        return out;
    }

    @Override
    public void close() {
        if (running) {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            smi.ifPresent(NvidiaSmi::close);
        }
    }
}
