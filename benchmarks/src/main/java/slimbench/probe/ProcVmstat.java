package slimbench.probe;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code /proc/vmstat}: pages swapped in and out since boot, system-wide. Differences over an
 * iteration tell whether the machine was swapping while the benchmark ran (zram included, which
 * is the Jetson default), which a swap-used figure alone cannot: swap may hold pages from
 * yesterday.
 */
final class ProcVmstat {

    private final ProcFile file;

    ProcVmstat(Path proc) {
        file = new ProcFile(proc.resolve("vmstat"));
    }

    boolean reload() {
        return file.reload();
    }

    OptionalLong swapInPages() {
        return file.countOf("pswpin");
    }

    OptionalLong swapOutPages() {
        return file.countOf("pswpout");
    }
}
