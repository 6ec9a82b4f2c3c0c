package slimbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Breaks a score down into what JMH cannot see: the load phases of a cold start and the latency
 * percentiles of steady state. The benchmarks record into this class's static slots (one writer,
 * the benchmark thread); this profiler turns them into secondary results after each iteration.
 * Use with {@code -prof slimbench.bench.Breakdown}; the runner always adds it.
 */
public final class Breakdown implements InternalProfiler {
    private static final double NANOS_PER_MS = 1e6;

    // Cold start: one shot per iteration.
    static volatile LoadedModel.Phases phases;
    static volatile long firstInferenceNanos;

    // Steady state: every inference's latency in this iteration, in a buffer reused across iterations.
    private static long[] latencies = new long[1 << 16];
    private static int count;

    static void record(long nanos) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2); // rare: grows once, outside steady state
        }
        latencies[count++] = nanos;
    }

    @Override
    public String getDescription() {
        return "SlimBench: cold-start phases and steady-state latency percentiles";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        phases = null;
        count = 0;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        List<Result> out = new ArrayList<>();
        LoadedModel.Phases p = phases;
        if (p != null) {
            out.add(ms("phase.read", p.readNanos(), AggregationPolicy.AVG));
            out.add(ms("phase.import", p.importNanos(), AggregationPolicy.AVG));
            out.add(ms("phase.session", p.sessionNanos(), AggregationPolicy.AVG));
            out.add(ms("phase.first_inference", firstInferenceNanos, AggregationPolicy.AVG));
        }
        if (count > 0) {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            out.add(ms("latency.p50", percentile(sorted, 50), AggregationPolicy.AVG));
            out.add(ms("latency.p90", percentile(sorted, 90), AggregationPolicy.AVG));
            out.add(ms("latency.p99", percentile(sorted, 99), AggregationPolicy.AVG));
            out.add(ms("latency.max", sorted[sorted.length - 1], AggregationPolicy.MAX));
            out.add(new ScalarResult("latency.inferences", count, "#", AggregationPolicy.SUM));
        }
        return out;
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] sorted, double pct) {
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static ScalarResult ms(String label, long nanos, AggregationPolicy policy) {
        return new ScalarResult(label, nanos / NANOS_PER_MS, "ms", policy);
    }
}
