package slimbench.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The mean power of each sysfs rail over one window: sampled monitors averaged over their
 * samples, energy counters as the summed differences of successive readings (each across at most
 * one wrap-around) divided by the window's length. The counters are read at every sample too, not
 * only at both ends, so that a window longer than one wrap period still adds up.
 *
 * <p>Used by one thread at a time: {@link Sampler} starts, samples and stops it around its own
 * thread, so no field needs to be shared.
 */
final class PowerMeter {

    private final List<PowerRail> rails;
    private final Map<PowerRail, Track> sampled = new LinkedHashMap<>();
    private final Map<PowerRail, Count> counters = new LinkedHashMap<>();
    private final LongSupplier clock;
    private long startNanos;
    private long lastNanos;

    /** @param clock nanoseconds, {@code System::nanoTime} but in tests */
    PowerMeter(List<PowerRail> rails, LongSupplier clock) {
        this.rails = List.copyOf(rails);
        this.clock = clock;
    }

    boolean isEmpty() {
        return rails.isEmpty();
    }

    /** Opens a window now: tracks cleared, counters' baselines read. */
    void start() {
        startNanos = clock.getAsLong();
        lastNanos = startNanos;
        sampled.clear();
        counters.clear();
        for (PowerRail rail : rails) {
            if (rail instanceof PowerRail.Sampled s) {
                Track t = new Track();
                t.add(s.watts());
                sampled.put(rail, t);
            } else if (rail instanceof PowerRail.Counter c) {
                OptionalLong uj = c.read();
                Count count = new Count();
                count.ok = uj.isPresent();
                count.last = uj.orElse(0);
                counters.put(rail, count);
            }
        }
    }

    /** Reads every rail; the window ends at the last of these. */
    void sample() {
        lastNanos = clock.getAsLong();
        sampled.forEach((rail, track) -> track.add(((PowerRail.Sampled) rail).watts()));
        counters.forEach((rail, count) -> advance((PowerRail.Counter) rail, count));
    }

    /**
     * Mean watts per rail from the start to the last {@link #sample()}, which the caller takes as
     * the window's end (the time spent after it, e.g. stopping nvidia-smi, is not the window's);
     * a rail that failed is left out.
     */
    Map<String, Double> means() {
        Map<String, Double> watts = new LinkedHashMap<>();
        double seconds = (lastNanos - startNanos) / 1e9;
        for (PowerRail rail : rails) {
            if (rail instanceof PowerRail.Sampled) {
                sampled.get(rail).mean().ifPresent(w -> watts.put(rail.name(), w));
            } else {
                Count count = counters.get(rail);
                if (count.ok && seconds > 0) {
                    watts.put(rail.name(), count.microjoules / 1e6 / seconds);
                }
            }
        }
        return watts;
    }

    private static void advance(PowerRail.Counter rail, Count count) {
        if (!count.ok) {
            return;
        }
        OptionalLong now = rail.read();
        OptionalLong delta = now.isPresent() ? rail.between(count.last, now.getAsLong()) : OptionalLong.empty();
        if (delta.isEmpty()) {
            count.ok = false; // a failed or backwards reading: this window's energy is unknown, not smaller
            return;
        }
        count.last = now.getAsLong();
        count.microjoules += delta.getAsLong();
    }

    /** One counter's state in the window: its last reading and the energy summed so far. */
    private static final class Count {
        long last;
        long microjoules;
        boolean ok;
    }
}
