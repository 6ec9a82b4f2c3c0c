package slimbench.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;

/**
 * An iteration's power and energy results from what the sampler measured.
 *
 * <p>Energy per inference is the whole device's mean power during the iteration times the mean
 * time of one inference, which equals the window's energy divided by the inferences in it
 * without needing their count; above idle subtracts the mean power of the same rails in the idle
 * seconds before the fork's first iteration, so it is what running the model adds. It can come
 * out slightly negative for a model too small to lift the draw above the idle noise; it is
 * reported as measured. A rail missing from a window leaves the total (and so the energy) out.
 *
 * @param meanWatts per rail, during the iteration
 * @param idleWatts per rail, in the idle window; empty when none was measured
 * @param whole     the rails whose sum is the device's draw
 */
record Energy(Map<String, Double> meanWatts, Map<String, Double> idleWatts, List<String> whole) {

    /** The results: every rail's mean (and idle) power, the totals, and the energy when the time per op is known. */
    List<Result> results(OptionalDouble secondsPerOp, boolean shot) {
        List<Result> out = new ArrayList<>();
        meanWatts.forEach((rail, w) -> out.add(Metric.railMean(rail, w)));
        idleWatts.forEach((rail, w) -> out.add(Metric.railIdle(rail, w)));
        OptionalDouble total = sum(meanWatts);
        OptionalDouble idle = sum(idleWatts);
        total.ifPresent(w -> out.add(Metric.POWER_TOTAL.result(w)));
        idle.ifPresent(w -> out.add(Metric.POWER_TOTAL_IDLE.result(w)));
        if (total.isPresent() && secondsPerOp.isPresent()) {
            double seconds = secondsPerOp.getAsDouble();
            double scale = shot ? 1 : 1e3; // J for a shot of seconds, mJ for one inference
            out.add((shot ? Metric.ENERGY_SHOT : Metric.ENERGY_PER_INFERENCE).result(total.getAsDouble() * seconds * scale));
            idle.ifPresent(i -> out.add((shot ? Metric.ENERGY_SHOT_ABOVE_IDLE : Metric.ENERGY_PER_INFERENCE_ABOVE_IDLE)
                .result((total.getAsDouble() - i) * seconds * scale)));
        }
        return out;
    }

    /** The sum of the whole-device rails; absent when there are none or one was not read. */
    private OptionalDouble sum(Map<String, Double> watts) {
        if (whole.isEmpty() || !watts.keySet().containsAll(whole)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(whole.stream().mapToDouble(watts::get).sum());
    }

    /**
     * Seconds per operation from JMH's primary score: time per op in the benchmark's time unit for
     * the time modes, its inverse for throughput; absent without a result (tests, a failed iteration).
     */
    static OptionalDouble secondsPerOp(BenchmarkParams params, IterationResult result) {
        // A failed iteration has no primary result, and asking for it throws.
        if (params == null || result == null || result.getRawPrimaryResults().isEmpty()) {
            return OptionalDouble.empty();
        }
        double score = result.getPrimaryResult().getScore();
        double unit = params.getTimeUnit().toNanos(1) / 1e9;
        double seconds = switch (params.getMode()) {
            case Throughput -> score > 0 ? unit / score : Double.NaN;
            default -> score * unit;
        };
        return Double.isFinite(seconds) && seconds > 0 ? OptionalDouble.of(seconds) : OptionalDouble.empty();
    }
}
