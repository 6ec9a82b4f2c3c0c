package slimbench.probe;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code /proc/meminfo}: system memory, swap and, on a Jetson, the GPU's NvMap allocations.
 *
 * <p>{@code MemAvailable} (not {@code MemFree}) is what the kernel estimates it can hand out
 * without swapping, so it is the number that predicts the OOM killer. {@code NvMapMemUsed} only
 * exists on L4T kernels: it is the memory CUDA and the GPU drivers took from the shared 4 GB,
 * which no process's RSS shows. Call {@link #reload()}, then read the fields; sizes are in bytes.
 */
final class ProcMeminfo {

    private final ProcFile file;

    ProcMeminfo(Path proc) {
        file = new ProcFile(proc.resolve("meminfo"));
    }

    boolean reload() {
        return file.reload();
    }

    OptionalLong totalBytes() {
        return kib("MemTotal");
    }

    OptionalLong availableBytes() {
        return kib("MemAvailable");
    }

    OptionalLong swapTotalBytes() {
        return kib("SwapTotal");
    }

    /** SwapTotal - SwapFree, absent unless both are there. */
    OptionalLong swapUsedBytes() {
        OptionalLong total = kib("SwapTotal");
        OptionalLong free = kib("SwapFree");
        return total.isPresent() && free.isPresent() && free.getAsLong() <= total.getAsLong()
            ? OptionalLong.of(total.getAsLong() - free.getAsLong())
            : OptionalLong.empty();
    }

    OptionalLong nvMapUsedBytes() {
        return kib("NvMapMemUsed");
    }

    private OptionalLong kib(String key) {
        return file.bytesOfKib(key);
    }
}
