package slimbench.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Jetson's INA3221 power monitors, in the two layouts L4T has used.
 *
 * <p>L4T R32 (Nano, TX1, TX2, Xavier on JetPack 4) has NVIDIA's own iio driver:
 * {@code bus/i2c/drivers/ina3221x/<bus>-<addr>/iio:device<N>/} with {@code rail_name_<C>} and
 * {@code in_power<C>_input} in mW, channels from 0. L4T R35/R36 (Orin, Xavier on JetPack 5) has
 * the mainline hwmon driver: {@code bus/i2c/drivers/ina3221/<bus>-<addr>/hwmon/hwmon<N>/} with
 * {@code in<C>_label}, bus voltage {@code in<C>_input} in mV and current {@code curr<C>_input} in
 * mA, channels from 1. Channel 7 there is the "sum of shunt voltages", which has no current and
 * so is no rail; channels labelled {@code NC} are not connected (AGX Orin).
 */
final class JetsonPowerMonitor {

    static final String IIO_DRIVER = "bus/i2c/drivers/ina3221x";
    static final String HWMON_DRIVER = "bus/i2c/drivers/ina3221";
    private static final Set<String> NOT_CONNECTED = Set.of("NC");

    private JetsonPowerMonitor() {
    }

    /** Every rail of both layouts below {@code sys}; unusable files go to {@code found}'s problems. */
    static void find(Path sys, PowerSensors.Found found) {
        for (Path device : Dirs.list(sys.resolve(IIO_DRIVER), "*-*")) {
            for (Path iio : Dirs.list(device, "iio:device*")) {
                for (Path label : Dirs.list(iio, "rail_name_*")) {
                    String channel = label.getFileName().toString().substring("rail_name_".length());
                    Path power = iio.resolve("in_power" + channel + "_input");
                    name(label).ifPresent(name -> {
                        if (Files.exists(power)) {
                            found.addJetson(new PowerRail.Sampled(name, power.toString(), new ProcFile(power), null, null),
                                List.of(power));
                        } else {
                            Path volts = iio.resolve("in_voltage" + channel + "_input");
                            Path amps = iio.resolve("in_current" + channel + "_input");
                            found.addJetson(new PowerRail.Sampled(name, volts + " x " + amps.getFileName(), null,
                                new ProcFile(volts), new ProcFile(amps)), List.of(volts, amps));
                        }
                    });
                }
            }
        }
        for (Path device : Dirs.list(sys.resolve(HWMON_DRIVER), "*-*")) {
            for (Path hwmon : Dirs.list(device.resolve("hwmon"), "hwmon*")) {
                for (Path label : Dirs.list(hwmon, "in*_label")) {
                    String file = label.getFileName().toString();
                    String channel = file.substring("in".length(), file.length() - "_label".length());
                    Path volts = hwmon.resolve("in" + channel + "_input");
                    Path amps = hwmon.resolve("curr" + channel + "_input");
                    if (Files.exists(amps)) {
                        name(label).filter(n -> !NOT_CONNECTED.contains(n)).ifPresent(name -> found.addJetson(
                            new PowerRail.Sampled(name, volts + " x " + amps.getFileName(), null,
                                new ProcFile(volts), new ProcFile(amps)), List.of(volts, amps)));
                    }
                }
            }
        }
    }

    private static Optional<String> name(Path labelFile) {
        return new ProcFile(labelFile).text().map(PowerSensors::safeName);
    }
}
