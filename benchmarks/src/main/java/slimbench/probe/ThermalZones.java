package slimbench.probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * {@code /sys/class/thermal/thermal_zone*}: one temperature per zone, in millidegrees Celsius.
 *
 * <p>A Nano that reaches its trip points throttles CPU and GPU clocks, which shows up as a slower
 * cell; the temperature explains it.
 */
final class ThermalZones {

    /**
     * Zones that do not measure anything: the Nano's PMIC-Die always reads 100 C, which would
     * otherwise be the maximum of every cell.
     */
    private static final List<String> PLACEHOLDERS = List.of("PMIC-Die");

    /** Readings outside this range are sensor errors (e.g. -40 C or 255 C from an idle sensor). */
    private static final double MIN_C = -39.0;
    private static final double MAX_C = 150.0;

    private record Zone(String type, ProcFile temp) {
    }

    private final List<Zone> zones = new ArrayList<>();

    ThermalZones(Path sys) {
        for (Path dir : Dirs.list(sys.resolve("class").resolve("thermal"), "thermal_zone*")) {
            String type = new ProcFile(dir.resolve("type")).text().orElse(dir.getFileName().toString());
            if (!PLACEHOLDERS.contains(type)) {
                zones.add(new Zone(type, new ProcFile(dir.resolve("temp"))));
            }
        }
    }

    /** The hottest plausible zone now; absent when no zone could be read. */
    OptionalDouble maxCelsius() {
        double max = Double.NEGATIVE_INFINITY;
        for (Zone zone : zones) {
            OptionalDouble c = celsius(zone);
            if (c.isPresent()) {
                max = Math.max(max, c.getAsDouble());
            }
        }
        return max == Double.NEGATIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(max);
    }

    /** Every readable zone by its type, in zone order. */
    Map<String, Double> celsiusByZone() {
        Map<String, Double> temps = new LinkedHashMap<>();
        for (Zone zone : zones) {
            celsius(zone).ifPresent(c -> temps.put(zone.type(), c));
        }
        return temps;
    }

    private static OptionalDouble celsius(Zone zone) {
        OptionalLong milli = zone.temp().readLong();
        if (milli.isEmpty()) {
            return OptionalDouble.empty();
        }
        double c = milli.getAsLong() / 1000.0;
        return c >= MIN_C && c <= MAX_C ? OptionalDouble.of(c) : OptionalDouble.empty();
    }
}
