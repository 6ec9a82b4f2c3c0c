package slimbench.bench;

import slimbench.stats.Percentiles;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.util.AbstractStatistics;

/**
 * Every timed inference's latency of one iteration, as a JMH secondary result, concatenated
 * ({@link Concatenating}): the result that reaches the runner holds every measured inference of
 * the cell, so its percentiles are over all of them, not a mean of per-iteration percentiles. Its score is
 * their mean (in ms); its {@link #getStatistics() statistics} answer percentiles through
 * {@link Percentiles}, so JMH's own JSON and text output show the same p99 as the results CSV.
 */
public final class LatencyResult extends Concatenating<LatencyResult> {
    private static final long serialVersionUID = 1L;
    public static final String LABEL = "latency";

    /** Takes {@code nanos} over (sorts it in place): callers hand it a fresh copy. */
    LatencyResult(long[] nanos) {
        super(ResultRole.SECONDARY, LABEL, new Latencies(nanos), "ms");
    }

    /** Latencies measured outside JMH (trtexec's, for a {@code tensorrt} cell), as JMH would have aggregated them. */
    public static LatencyResult of(long[] nanos) {
        return new LatencyResult(nanos.clone());
    }

    /** The latencies in nanoseconds, sorted. */
    public long[] sortedNanos() {
        return ((Latencies) statistics).sorted.clone();
    }

    /** The nearest-rank percentile in milliseconds. */
    public double percentileMs(double pct) {
        return getStatistics().getPercentile(pct);
    }

    /**
     * None: the inferences of one iteration follow each other and share the host's speed of the
     * moment, so an interval that counts each as independent would be far narrower than the forks
     * support; the mean's interval is the primary result's, over forks, in the results CSV.
     */
    @Override
    public double getScoreError() {
        return Double.NaN;
    }

    @Override
    protected LatencyResult concat(Collection<LatencyResult> results) {
        int n = 0;
        for (LatencyResult r : results) {
            n += ((Latencies) r.statistics).sorted.length;
        }
        long[] all = new long[n];
        int at = 0;
        for (LatencyResult r : results) {
            long[] s = ((Latencies) r.statistics).sorted;
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        return new LatencyResult(all);
    }

    /** Sorted nanoseconds seen as statistics in milliseconds; the t-based interval comes from JMH. */
    private static final class Latencies extends AbstractStatistics {
        private static final long serialVersionUID = 1L;
        private static final double NANOS_PER_MS = 1e6;
        private final long[] sorted;

        Latencies(long[] nanos) {
            Arrays.sort(nanos);
            this.sorted = nanos;
        }

        @Override
        public double getMax() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / NANOS_PER_MS;
        }

        @Override
        public double getMin() {
            return sorted.length == 0 ? Double.NaN : sorted[0] / NANOS_PER_MS;
        }

        @Override
        public long getN() {
            return sorted.length;
        }

        @Override
        public double getSum() {
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return sum / NANOS_PER_MS;
        }

        @Override
        public double getVariance() {
            if (sorted.length < 2) {
                return 0;
            }
            double mean = getMean();
            double ss = 0;
            for (long v : sorted) {
                double d = v / NANOS_PER_MS - mean;
                ss += d * d;
            }
            return ss / (sorted.length - 1);
        }

        /** NaN where the values are too few to tell the percentile from their maximum ({@link Percentiles#resolves}). */
        @Override
        public double getPercentile(double rank) {
            return sorted.length == 0 || !Percentiles.resolves(sorted.length, rank) ? Double.NaN
                    : Percentiles.of(sorted, rank) / NANOS_PER_MS;
        }

        @Override
        public int[] getHistogram(double[] levels) {
            int[] counts = new int[levels.length - 1];
            for (long v : sorted) {
                double ms = v / NANOS_PER_MS;
                for (int i = 0; i < counts.length; i++) {
                    if (ms >= levels[i] && ms < levels[i + 1]) {
                        counts[i]++;
                        break;
                    }
                }
            }
            return counts;
        }

        @Override
        public Iterator<Map.Entry<Double, Long>> getRawData() {
            return Arrays.stream(sorted).mapToObj(v -> (Map.Entry<Double, Long>)
                    new AbstractMap.SimpleImmutableEntry<>(v / NANOS_PER_MS, 1L)).iterator();
        }
    }
}
