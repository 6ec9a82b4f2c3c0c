package slimbench.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The Jetson's integrated GPU through sysfs, readable without root.
 *
 * <p>Its clock is a devfreq device: {@code /sys/class/devfreq/57000000.gpu} on a Nano (tegra210),
 * {@code 17000000.gv11b} on a Xavier, {@code 17000000.ga10b} on an Orin, so the device is found by
 * name rather than by a fixed path. Its load is {@code /sys/devices/gpu.0/load} (the nvgpu
 * driver's node, per mille), or the same attribute below the devfreq device.
 */
final class JetsonGpu {

    /** Substrings of the devfreq names of the Tegra GPUs this suite may meet. */
    private static final List<String> GPU_NAMES = List.of("gpu", "gv11b", "gp10b", "ga10b");

    private final Optional<ProcFile> load;
    private final Optional<ProcFile> curFreq;
    private final Optional<ProcFile> maxFreq;

    JetsonGpu(Path sys) {
        Optional<Path> devfreq = Dirs.list(sys.resolve("class").resolve("devfreq"), "*").stream()
            .filter(p -> GPU_NAMES.stream().anyMatch(p.getFileName().toString()::contains))
            .findFirst();
        curFreq = devfreq.map(d -> new ProcFile(d.resolve("cur_freq")));
        maxFreq = devfreq.map(d -> new ProcFile(d.resolve("max_freq")));
        Path nvgpu = sys.resolve("devices").resolve("gpu.0").resolve("load");
        load = Files.exists(nvgpu) ? Optional.of(new ProcFile(nvgpu))
            : devfreq.map(d -> d.resolve("device").resolve("load")).filter(Files::exists).map(ProcFile::new);
    }

    /** GPU busy share in percent, absent where the node is missing or out of 0..1000 per mille. */
    OptionalDouble loadPercent() {
        OptionalLong perMille = load.map(ProcFile::readLong).orElse(OptionalLong.empty());
        return perMille.isPresent() && perMille.getAsLong() >= 0 && perMille.getAsLong() <= 1000
            ? OptionalDouble.of(perMille.getAsLong() / 10.0)
            : OptionalDouble.empty();
    }

    OptionalLong freqHz() {
        return positive(curFreq);
    }

    OptionalLong maxFreqHz() {
        return positive(maxFreq);
    }

    private static OptionalLong positive(Optional<ProcFile> file) {
        OptionalLong v = file.map(ProcFile::readLong).orElse(OptionalLong.empty());
        return v.isPresent() && v.getAsLong() > 0 ? v : OptionalLong.empty();
    }
}
