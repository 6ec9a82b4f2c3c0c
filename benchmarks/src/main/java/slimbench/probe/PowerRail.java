package slimbench.probe;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One power channel a sensor reports, under the name its results carry ({@code power.<name>.mean}).
 *
 * <p>Two kinds exist: a monitor that reports the power now (the Jetson's INA3221, read as mW or as
 * mV x mA), which must be sampled and averaged, and an energy counter (RAPL, amd_energy), whose
 * difference across a window is the window's exact energy, however short the spikes inside it.
 */
sealed interface PowerRail permits PowerRail.Sampled, PowerRail.Counter {

    /** The rail's name, made safe for a metric label: e.g. {@code POM_5V_IN}, {@code package-0.dram}. */
    String name();

    /** The file read, for {@code doctor} and {@code conditions.csv}. */
    String where();

    /**
     * An instantaneous monitor: the driver's power in mW when it has one (the L4T R32 iio driver),
     * otherwise bus voltage (mV) times current (mA), as the hwmon driver of L4T R35+ reports.
     */
    record Sampled(String name, String where, ProcFile milliwatts, ProcFile millivolts, ProcFile milliamps)
            implements PowerRail {

        /** The power now in watts; absent when a file cannot be read or holds a negative value. */
        OptionalDouble watts() {
            if (milliwatts != null) {
                OptionalLong mw = milliwatts.readLong();
                return mw.isPresent() && mw.getAsLong() >= 0 ? OptionalDouble.of(mw.getAsLong() / 1e3) : OptionalDouble.empty();
            }
            OptionalLong mv = millivolts.readLong();
            OptionalLong ma = milliamps.readLong();
            return mv.isPresent() && ma.isPresent() && mv.getAsLong() >= 0 && ma.getAsLong() >= 0
                ? OptionalDouble.of(mv.getAsLong() * ma.getAsLong() / 1e6) : OptionalDouble.empty();
        }
    }

    /**
     * An energy counter in microjoules that wraps to zero after {@code rangeMicrojoules}
     * ({@code max_energy_range_uj}); a range of 0 means it does not wrap (amd_energy keeps 64 bits).
     */
    record Counter(String name, String where, ProcFile microjoules, long rangeMicrojoules) implements PowerRail {

        OptionalLong read() {
            OptionalLong uj = microjoules.readLong();
            return uj.isPresent() && uj.getAsLong() >= 0 ? uj : OptionalLong.empty();
        }

        /**
         * The energy between two readings, across one wrap-around: from {@code before} up to the
         * range, then from zero to {@code after}. Absent when the counter went backwards without a
         * known range, or past it: a reading is malformed, not a negative energy.
         */
        OptionalLong between(long before, long after) {
            if (after >= before) {
                return OptionalLong.of(after - before);
            }
            return rangeMicrojoules > 0 && before <= rangeMicrojoules
                ? OptionalLong.of(rangeMicrojoules - before + after) : OptionalLong.empty();
        }
    }
}
