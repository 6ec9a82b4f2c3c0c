package slimbench.bench;

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
