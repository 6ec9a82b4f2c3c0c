package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import slimbench.stats.Percentiles;

/** Intervals over forks, drift within them, and the percentiles' upper bounds. */
class ForkStatsTest {
    @Test
    void anIntervalNeedsThreeForksAndIsStudentsT() {
        assertTrue(Double.isNaN(ForkStats.of(new double[] {1, 2}).halfWidth()), "two forks: no interval");
        ForkStats.Interval i = ForkStats.of(new double[] {10, 11, 12});
        assertEquals(11, i.mean(), 1e-12);
        // s = 1, n = 3: t(0.975, 2) = 4.302653 over sqrt(3)
        assertEquals(4.302653 / Math.sqrt(3), i.halfWidth(), 1e-5);
        assertEquals(i.halfWidth() / 11, i.relative(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ForkStats.of(new double[] {5}).relative());
    }

    @Test
    void theUpperBoundOfAPercentileIsTheOrderStatisticTheBinomialNames() {
        // Checked against the binomial sum itself: P(X <= k - 1) >= 0.95 at k, not at k - 1.
        for (int n : new int[] {30, 300, 1000, 4600}) {
            for (double q : new double[] {0.9, 0.99}) {
                int k = Percentiles.upperBoundRank(n, q, 0.95);
                if (k < 0) {
                    assertTrue(1 - Math.pow(q, n) < 0.95, n + " " + q);
                    continue;
                }
                assertTrue(cdf(k - 1, n, q) >= 0.95 && (k == 1 || cdf(k - 2, n, q) < 0.95), n + " " + q + ": " + k);
            }
        }
        assertEquals(-1, Percentiles.upperBoundRank(298, 0.99, 0.95), "298 inferences do not bound p99");
        assertEquals(300, Percentiles.upperBoundRank(300, 0.99, 0.95), "300 do, by their largest");
        assertEquals(299, Percentiles.inferencesToBound(0.99, 0.95));
        assertEquals(29, Percentiles.inferencesToBound(0.90, 0.95));
        assertTrue(Percentiles.resolves(100, 99) && !Percentiles.resolves(99, 99) && !Percentiles.resolves(4600, 99.99));
    }

    private static double cdf(int k, int n, double q) {
        double sum = 0;
        for (int i = 0; i <= k; i++) {
            sum += Math.exp(logChoose(n, i) + i * Math.log(q) + (n - i) * Math.log1p(-q));
        }
        return sum;
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }

    @Test
    void aSlowFirstIterationOrAMonotoneTrendIsDrift() {
        assertEquals(Optional.empty(), ForkStats.drift(List.of()));
        assertTrue(ForkStats.firstOff(new double[] {1.2, 1.0, 1.0}).isPresent(), "20% off");
        assertTrue(ForkStats.firstOff(new double[] {1.05, 1.0, 1.0}).isEmpty(), "5% is not");
        assertTrue(ForkStats.trend(new double[] {1.0, 1.05, 1.1, 1.15}).isPresent(), "15% one way");
        assertTrue(ForkStats.trend(new double[] {1.0, 1.02, 1.03, 1.04}).isEmpty(), "4% one way is not");
        assertTrue(ForkStats.trend(new double[] {1.0, 1.2, 1.1, 1.3}).isEmpty(), "not monotone");
    }
}
