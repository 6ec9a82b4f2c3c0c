package slimbench.stats;

import java.util.Arrays;

/**
 * The one place that turns a set of values into a median or a percentile, so a p99 in the results,
 * in {@code results.json} and a median in {@code profile} or {@code overhead} mean the same thing.
 * Percentiles are nearest-rank (the value of a real sample, never an interpolation between two);
 * the median is the midpoint of the two middle values for an even count, as usual.
 */
public final class Percentiles {
    private Percentiles() {}

    /** Nearest-rank percentile of already sorted values: the smallest value with at least {@code pct}% at or below it. */
    public static long of(long[] sorted, double pct) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values for a percentile");
        }
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Whether {@code n} values hold a {@code pct} percentile distinct from their maximum: the
     * nearest rank of p99.99 among 4600 values is the largest, which says nothing about p99.99.
     */
    public static boolean resolves(long n, double pct) {
        return pct >= 100 || n >= 1 / (1 - pct / 100) - 1e-9;
    }

    /**
     * The rank (1-based, in sorted order) of the order statistic that is an upper confidence bound
     * of the {@code q} quantile at {@code confidence}, from {@code n} values counted as independent
     * draws: the smallest k with P(Binomial(n, q) <= k - 1) >= confidence. -1 when no rank up to n
     * is (too few values: see {@link #inferencesToBound}).
     */
    public static int upperBoundRank(int n, double q, double confidence) {
        if (n == 0 || 1 - Math.pow(q, n) < confidence) {
            return -1;
        }
        int m = new org.apache.commons.math3.distribution.BinomialDistribution(null, n, q)
                .inverseCumulativeProbability(confidence);
        return m + 1 <= n ? m + 1 : -1;
    }

    /** The fewest values whose largest bounds the {@code q} quantile at {@code confidence}. */
    public static int inferencesToBound(double q, double confidence) {
        return (int) Math.ceil(Math.log(1 - confidence) / Math.log(q) - 1e-9);
    }

    /** The median of unsorted values (left unchanged). */
    public static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
    }

    /** The median of unsorted values (left unchanged). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
    }
}
