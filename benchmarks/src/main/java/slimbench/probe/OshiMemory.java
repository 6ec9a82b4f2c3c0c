package slimbench.probe;

import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import oshi.SystemInfo;
import oshi.hardware.GlobalMemory;

/**
 * The portable fallback where there is no {@code /proc} (macOS, Windows): OSHI's view of
 * available memory, swap and this process's resident set. It has no NvMap, no VmHWM and no
 * per-process major faults worth trusting, so those stay absent. Created lazily because
 * {@link SystemInfo} is slow to build and Linux never needs it.
 */
final class OshiMemory {

    private GlobalMemory memory;
    private SystemInfo system;

    OptionalLong totalBytes() {
        return read(GlobalMemory::getTotal, true);
    }

    OptionalLong availableBytes() {
        return read(GlobalMemory::getAvailable, true);
    }

    OptionalLong swapUsedBytes() {
        return read(m -> m.getVirtualMemory().getSwapUsed(), false);
    }

    OptionalLong swapInPages() {
        return read(m -> m.getVirtualMemory().getSwapPagesIn(), false);
    }

    OptionalLong swapOutPages() {
        return read(m -> m.getVirtualMemory().getSwapPagesOut(), false);
    }

    OptionalLong residentBytes() {
        try {
            long rss = system().getOperatingSystem().getCurrentProcess().getResidentSetSize();
            return rss > 0 ? OptionalLong.of(rss) : OptionalLong.empty();
        } catch (RuntimeException | LinkageError e) {
            return OptionalLong.empty();
        }
    }

    private OptionalLong read(ToLongFunction<GlobalMemory> field, boolean mustBePositive) {
        try {
            if (memory == null) {
                memory = system().getHardware().getMemory();
            }
            long v = field.applyAsLong(memory);
            return v > 0 || (v == 0 && !mustBePositive) ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (RuntimeException | LinkageError e) {
            // OSHI throws on platforms it does not support; a probe must not fail the benchmark.
            return OptionalLong.empty();
        }
    }

    private SystemInfo system() {
        if (system == null) {
            system = new SystemInfo();
        }
        return system;
    }
}
