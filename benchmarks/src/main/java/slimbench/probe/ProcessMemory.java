package slimbench.probe;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The resident memory of this benchmark process: what the OOM killer looks at, native
 * TensorFlow allocations included.
 *
 * <p>The cold-start benchmark calls {@link #markPhase(String)} after each phase (read, import,
 * session, first run), which {@link MemoryProfiler} reports as {@code mem.rss.after.<phase>}; the
 * profiler calls {@link #resetPeak()} before each iteration so that
 * {@link #peakResidentBytes()} is the peak of that iteration only. On Linux the numbers come from
 * {@code /proc/self/status}; without {@code /proc}, the current RSS comes from OSHI and the peak is
 * absent (the profiler then samples). Safe to call from several threads.
 */
public final class ProcessMemory {

    private static final Pattern PHASE = Pattern.compile("[a-z0-9_]+");

    /**
     * Phase marks of the running iteration, in order. Static because the benchmark that marks and
     * the profiler that reports are different objects in the same fork.
     */
    private static final Map<String, Long> PHASES = new LinkedHashMap<>();

    private final boolean linux;
    private final ProcStatus status;
    private final OshiMemory oshi = new OshiMemory();

    /** Reads the process files below {@code roots.proc()}. */
    public ProcessMemory(Roots roots) {
        linux = Files.isDirectory(roots.proc());
        status = new ProcStatus(roots.proc());
    }

    /** This process, with the roots named by the {@code slimbench.*} system properties. */
    public static ProcessMemory system() {
        return new ProcessMemory(Roots.system());
    }

    /** Resident set size now (VmRSS), in bytes; absent when it cannot be read. */
    public synchronized OptionalLong residentBytes() {
        if (!linux) {
            return oshi.residentBytes();
        }
        return status.reload() ? status.residentBytes() : OptionalLong.empty();
    }

    /** The kernel's peak resident set size (VmHWM) since start or the last {@link #resetPeak()}. */
    public synchronized OptionalLong peakResidentBytes() {
        return linux && status.reload() ? status.peakResidentBytes() : OptionalLong.empty();
    }

    /**
     * Restarts the kernel's peak from the current RSS (Linux 4.0+, no root needed for one's own
     * process). False when not possible; the peak must then be found by sampling.
     */
    public synchronized boolean resetPeak() {
        return linux && status.resetPeak();
    }

    /**
     * Records this process's resident memory now as the end of {@code phase} (lower case, digits,
     * underscores, e.g. {@code import}). The mark belongs to the JMH iteration it is made in
     * (marks made before the iteration starts, in a trial-level setup, are dropped). Nothing is
     * recorded where RSS cannot be read.
     *
     * @throws IllegalArgumentException for a phase name that would make a bad metric label
     */
    public static void markPhase(String phase) {
        if (!PHASE.matcher(phase).matches()) {
            throw new IllegalArgumentException("phase must match " + PHASE + ": " + phase);
        }
        OptionalLong rss = system().residentBytes();
        if (rss.isPresent()) {
            synchronized (PHASES) {
                PHASES.put(phase, rss.getAsLong());
            }
        }
    }

    /** The marks since the last call, in bytes by phase, and forgets them. */
    static Map<String, Long> drainPhases() {
        synchronized (PHASES) {
            Map<String, Long> marks = new LinkedHashMap<>(PHASES);
            PHASES.clear();
            return marks;
        }
    }
}
