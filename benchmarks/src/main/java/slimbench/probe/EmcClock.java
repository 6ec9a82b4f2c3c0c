package slimbench.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Jetson's external memory controller (EMC) clock, which bounds the bandwidth CPU and GPU
 * share.
 *
 * <p>On the Nano and Xavier the current rate is only in debugfs
 * ({@code /sys/kernel/debug/clk/emc/clk_rate}, root only), newer L4T releases also expose a
 * devfreq device; without root on a Nano this source is simply absent.
 */
final class EmcClock {

    /** In order of preference; the first one present wins. Values are in Hz. */
    private static final List<String> CANDIDATES = List.of(
        "kernel/debug/clk/emc/clk_rate",
        "kernel/debug/bpmp/debug/clk/emc/rate",
        "class/devfreq/bwmgr/cur_freq");

    private final Optional<ProcFile> rate;

    EmcClock(Path sys) {
        rate = CANDIDATES.stream().map(sys::resolve).filter(Files::isReadable).findFirst().map(ProcFile::new);
    }

    OptionalLong freqHz() {
        OptionalLong v = rate.map(ProcFile::readLong).orElse(OptionalLong.empty());
        return v.isPresent() && v.getAsLong() > 0 ? v : OptionalLong.empty();
    }
}
