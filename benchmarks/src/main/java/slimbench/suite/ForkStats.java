package slimbench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;

/**
 * A cell's figures over its forks, the unit of independence: iterations in one JVM share its JIT,
 * its heap and the host's speed of the moment, so a figure's interval comes from the forks' means
 * (Student's t, {@value #CONFIDENCE_PERCENT}% two-sided), and only from {@value #MIN_FORKS} forks on.
 * Fewer forks give the mean with no interval (NaN), which the report calls indicative.
 */
public final class ForkStats {
    /** Forks from which a figure has an interval. */
    public static final int MIN_FORKS = 3;
    public static final int CONFIDENCE_PERCENT = 95;
    /** A measured iteration this far off the fork's others (the first), or a drift this large, marks the cell. */
    static final double DRIFT = 0.10;

    private ForkStats() {}

    /** A mean over forks and its interval's half-width (NaN below {@link #MIN_FORKS}). */
    public record Interval(double mean, double halfWidth, int forks) {
        /** The half-width relative to the mean; infinite without an interval. */
        public double relative() {
            return Double.isNaN(halfWidth) || mean == 0 ? Double.POSITIVE_INFINITY : halfWidth / Math.abs(mean);
        }
    }

    /** The interval of the mean of per-fork values. */
    public static Interval of(double[] perFork) {
        int n = perFork.length;
        double mean = 0;
        for (double v : perFork) {
            mean += v / n;
        }
        if (n < MIN_FORKS) {
            return new Interval(mean, Double.NaN, n);
        }
        double ss = 0;
        for (double v : perFork) {
            ss += (v - mean) * (v - mean);
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE_PERCENT / 100.0) / 2);
        return new Interval(mean, t * Math.sqrt(ss / (n - 1) / n), n);
    }

    /** Each fork's primary score. */
    static double[] primary(List<BenchmarkResult> forks) {
        return forks.stream().mapToDouble(f -> f.getPrimaryResult().getScore()).toArray();
    }

    /** Each fork's score of a secondary result, or empty when some fork lacks it. */
    static Optional<double[]> secondary(List<BenchmarkResult> forks, String label) {
        double[] v = new double[forks.size()];
        for (int i = 0; i < v.length; i++) {
            Result<?> r = forks.get(i).getSecondaryResults().get(label);
            if (r == null) {
                return Optional.empty();
            }
            v[i] = r.getScore();
        }
        return Optional.of(v);
    }

    /** Each measured iteration's value of a secondary result, over every fork, in order. */
    static double[] perIteration(List<BenchmarkResult> forks, String label) {
        List<Double> v = new ArrayList<>();
        for (BenchmarkResult f : forks) {
            for (IterationResult it : f.getIterationResults()) {
                Result<?> r = it.getSecondaryResults().get(label);
                if (r != null) {
                    v.add(r.getScore());
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Why a cell's measured iterations trend, or empty: in some fork the first iteration is more
     * than {@link #DRIFT} off the mean of the others (a warm-up too short), or four or more move
     * one way by more than that in all (drift: heat, a neighbour arriving).
     */
    static Optional<String> drift(List<BenchmarkResult> forks) {
        for (int f = 0; f < forks.size(); f++) {
            double[] it = forks.get(f).getIterationResults().stream()
                    .mapToDouble(r -> r.getPrimaryResult().getScore()).toArray();
            int fork = f + 1;
            Optional<String> d = firstOff(it).or(() -> trend(it)).map(why -> "drift: in fork " + fork + " " + why);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** The first of three or more iterations more than {@link #DRIFT} off the mean of the others. */
    static Optional<String> firstOff(double[] it) {
        if (it.length < 3) {
            return Optional.empty();
        }
        double rest = 0;
        for (int i = 1; i < it.length; i++) {
            rest += it[i] / (it.length - 1);
        }
        double off = it[0] / rest - 1;
        return Math.abs(off) > DRIFT ? Optional.of(String.format(Locale.ROOT, "the first measured iteration was "
                + "%.0f%% %s the others", 100 * Math.abs(off), off > 0 ? "above" : "below")) : Optional.empty();
    }

    /** Four or more iterations each slower (or each faster) than the one before, by more than {@link #DRIFT} in all. */
    static Optional<String> trend(double[] it) {
        if (it.length < 4 || !monotone(it) || Math.abs(it[it.length - 1] / it[0] - 1) <= DRIFT) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "every measured iteration was %s the one before (%.0f%% in all)",
                it[1] > it[0] ? "slower than" : "faster than", 100 * Math.abs(it[it.length - 1] / it[0] - 1)));
    }

    private static boolean monotone(double[] v) {
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < v.length; i++) {
            up &= v[i] > v[i - 1];
            down &= v[i] < v[i - 1];
        }
        return up || down;
    }
}
