package slimbench.probe;

import java.nio.file.Files;
import java.util.OptionalLong;

/**
 * The resident memory of this benchmark process: what the OOM killer looks at, native
 * TensorFlow allocations included.
 *
 * <p>The cold-start benchmark calls {@link #residentBytes()} after each phase (read, import,
 * session, first run); the profiler calls {@link #resetPeak()} before each iteration so that
 * {@link #peakResidentBytes()} is the peak of that iteration only. On Linux the numbers come from
 * {@code /proc/self/status}; without {@code /proc}, the current RSS comes from OSHI and the peak is
 * absent (the profiler then samples). Safe to call from several threads.
 */
public final class ProcessMemory {

    private final boolean linux;
    private final ProcSelfStatus status;
    private final OshiMemory oshi = new OshiMemory();

    /** Reads the process files below {@code roots.proc()}. */
    public ProcessMemory(Roots roots) {
        linux = Files.isDirectory(roots.proc());
        status = new ProcSelfStatus(roots.proc());
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
}
