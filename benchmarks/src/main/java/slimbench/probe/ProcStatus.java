package slimbench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * {@code /proc/<pid>/status} ({@code self} for this process): the resident set now ({@code VmRSS})
 * and at its peak ({@code VmHWM}). Both count native memory, so TensorFlow's allocations show up
 * here while they stay invisible to the Java heap beans.
 */
public final class ProcStatus {

    private final ProcFile file;
    private final Path clearRefs;

    ProcStatus(Path proc) {
        this(proc, "self");
    }

    private ProcStatus(Path proc, String pid) {
        file = new ProcFile(proc.resolve(pid).resolve("status"));
        clearRefs = proc.resolve(pid).resolve("clear_refs");
    }

    /**
     * The resident bytes of process {@code pid} under {@code proc} now, 0 when it cannot be read
     * (the process ended between being listed and being read): what a memory ceiling sums over a tree.
     */
    public static long residentBytes(Path proc, long pid) {
        ProcStatus s = new ProcStatus(proc, Long.toString(pid));
        return s.reload() ? s.residentBytes().orElse(0) : 0;
    }

    boolean reload() {
        return file.reload();
    }

    OptionalLong residentBytes() {
        return kib("VmRSS");
    }

    OptionalLong peakResidentBytes() {
        return kib("VmHWM");
    }

    /**
     * Resets the kernel's VmHWM to the current RSS by writing "5" to {@code clear_refs}
     * (Linux 4.0 and later). Returns false where the file is missing or not writable, and the
     * caller must then find the peak by sampling.
     */
    boolean resetPeak() {
        try {
            // Never create the file: in a recorded tree without it, a reset did not happen.
            Files.writeString(clearRefs, "5", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    private OptionalLong kib(String key) {
        return file.bytesOfKib(key);
    }
}
