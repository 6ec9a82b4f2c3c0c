package slimbench.bench;

import slimbench.stats.Percentiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;

/** Percentiles over every inference, checked against a latency sequence whose percentiles are known. */
class LatencyResultTest {
    private static final long MS = 1_000_000;

    @Test
    void percentilesAreOverEveryInferenceOfEveryIterationAndFork() {
        // 1..1000 ms in a shuffled order, cut into uneven "iterations" of two "forks".
        List<Long> all = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            all.add(i * MS);
        }
        Collections.shuffle(all, new Random(42));
        int[] cuts = {0, 100, 450, 460, 1000};
        List<LatencyResult> iterations = new ArrayList<>();
        for (int k = 0; k + 1 < cuts.length; k++) {
            iterations.add(iteration(all.subList(cuts[k], cuts[k + 1])));
        }
        LatencyResult fork1 = iterations.get(0).getIterationAggregator().aggregate(iterations.subList(0, 2));
        LatencyResult fork2 = iterations.get(0).getIterationAggregator().aggregate(iterations.subList(2, 4));
        LatencyResult cell = fork1.getIterationAggregator().aggregate(List.of(fork1, fork2));

        assertEquals(1000, cell.getSampleCount());
        assertEquals(500.0, cell.percentileMs(50), 1e-9);
        assertEquals(900.0, cell.percentileMs(90), 1e-9);
        assertEquals(950.0, cell.percentileMs(95), 1e-9);
        assertEquals(990.0, cell.percentileMs(99), 1e-9);
        assertEquals(1000.0, cell.getStatistics().getMax(), 1e-9);
        assertEquals(1.0, cell.getStatistics().getMin(), 1e-9);
        assertEquals(500.5, cell.getScore(), 1e-9); // the mean of every inference
        // The old figure, a mean of per-iteration p99s, is not the p99 of the cell.
        double meanOfP99s = iterations.stream().mapToDouble(r -> Percentiles.of(r.sortedNanos(), 99) / MS)
                .average().orElseThrow();
        assertTrue(Math.abs(meanOfP99s - 990.0) > 10, "mean of per-iteration p99s: " + meanOfP99s);
    }

    @Test
    void breakdownHandsEachIterationsLatenciesToJmh() {
        Breakdown b = new Breakdown();
        b.beforeIteration(null, null);
        for (long v : new long[] {5, 1, 4, 2, 3}) {
            Breakdown.record(v * MS);
        }
        List<? extends Result> out = new ArrayList<>(b.afterIteration(null, null, null));
        LatencyResult r = assertInstanceOf(LatencyResult.class, out.get(0));
        assertEquals(5, r.getSampleCount());
        assertEquals(3.0, r.percentileMs(50), 1e-9);
        assertTrue(Double.isNaN(r.percentileMs(99)), "5 inferences cannot tell p99 from their maximum");
        b.beforeIteration(null, null); // the next iteration starts empty
        assertTrue(b.afterIteration(null, null, null).isEmpty());
    }

    @Test
    void nearestRankAndMedian() {
        long[] sorted = {10, 20, 30, 40};
        assertEquals(10, Percentiles.of(sorted, 0));
        assertEquals(20, Percentiles.of(sorted, 50));
        assertEquals(30, Percentiles.of(sorted, 51));
        assertEquals(40, Percentiles.of(sorted, 100));
        assertEquals(25.0, Percentiles.median(new long[] {40, 10, 30, 20}), 1e-12);
        assertEquals(2.0, Percentiles.median(new double[] {3, 1, 2}), 1e-12);
    }

    private static LatencyResult iteration(List<Long> nanos) {
        return new LatencyResult(nanos.stream().mapToLong(Long::longValue).toArray());
    }
}
