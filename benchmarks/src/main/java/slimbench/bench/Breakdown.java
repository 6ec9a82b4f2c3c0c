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
import slimbench.engine.Inference;
import slimbench.model.CellMetric;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Breaks a score down into what JMH cannot see: the load phases of a cold start and every
 * steady-state inference's latency (a {@link LatencyResult}, whose percentiles are over all the
 * cell's measured inferences once JMH has aggregated it across iterations and forks). The benchmarks record into this class's static slots (one writer,
 * the benchmark thread); this profiler turns them into secondary results after each iteration.
 * Use with {@code -prof slimbench.bench.Breakdown}; the runner always adds it.
 */
public final class Breakdown implements InternalProfiler {
    private static final double NANOS_PER_MS = 1e6;
    /** The prefix of a load phase's result: {@code phase.read}; the results row names it {@code read}. */
    public static final String PHASE = "phase.";
    /** The prefix of a latency result; the row names {@code latency.p99} {@code p99}. */
    public static final String LATENCY = "latency.";

    // Cold start: one shot per iteration.
    static volatile Inference.Phases phases;
    static volatile long firstInferenceNanos;
    static volatile long shotNanos;
    static volatile java.util.OptionalDouble residentBefore = java.util.OptionalDouble.empty();
    // Steady state: the intra-op threads the trial ran on (ThreadChoice), -1 before it is known.
    static volatile int threadsUsed = -1;

    // Steady state: every inference's latency in this iteration. The buffer is allocated and grown
    // between iterations only (beforeIteration), so recording never allocates inside a timed call;
    // it starts at 2^16 (a 1 s iteration of a 15 us inference) and is sized from the last iteration.
    private static long[] latencies = new long[1 << 16];
    private static int count;
    private static long unrecorded;

    /** A cold shot's phases: the load's, the first inference's, and the whole shot's, in nanoseconds. */
    static void shot(Inference.Phases load, long firstInference, long shot) {
        phases = load;
        firstInferenceNanos = firstInference;
        shotNanos = shot;
    }

    /** One inference's latency; called by the benchmark thread only. */
    static void record(long nanos) {
        if (count < latencies.length) {
            latencies[count++] = nanos;
        } else {
            unrecorded++; // counted, so the next iteration's buffer fits; said in the results
        }
    }

    @Override
    public String getDescription() {
        return "SlimBench: cold-start phases and steady-state latency percentiles";
    }

    private static final java.nio.file.Path PROC = java.nio.file.Path.of("/proc");
    /** How long one core's speed is sampled after each measured iteration. */
    static final java.time.Duration SPEED_SAMPLE = java.time.Duration.ofMillis(100);
    private static java.util.Optional<slimbench.probe.MachineLoad> loadAtStart = java.util.Optional.empty();

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        loadAtStart = measured(iterationParams) ? slimbench.probe.MachineLoad.now(PROC) : java.util.Optional.empty();
        phases = null; // the shot's own setup, which JMH runs after this, sets what it measured
        residentBefore = java.util.OptionalDouble.empty();
        if (count + unrecorded > latencies.length / 2) {
            latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, 2 * (count + unrecorded))];
        }
        count = 0;
        unrecorded = 0;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        List<Result> out = new ArrayList<>();
        Inference.Phases p = phases;
        if (p != null) {
            out.add(ms(PHASE + CellMetric.READ.label(), p.readNanos(), AggregationPolicy.AVG));
            if (p.importNanos() != Inference.Phases.NO_IMPORT) {
                out.add(ms(PHASE + CellMetric.IMPORT.label(), p.importNanos(), AggregationPolicy.AVG));
            }
            out.add(ms(PHASE + CellMetric.SESSION.label(), p.sessionNanos(), AggregationPolicy.AVG));
            out.add(ms(PHASE + CellMetric.FIRST_INFERENCE.label(), firstInferenceNanos, AggregationPolicy.AVG));
            long named = p.readNanos() + Math.max(0, p.importNanos()) + p.sessionNanos() + firstInferenceNanos;
            out.add(ms(PHASE + CellMetric.OTHER.label(), shotNanos - named, AggregationPolicy.AVG));
            residentBefore.ifPresent(r -> out.add(new ScalarResult(CellMetric.FILE_RESIDENT_BEFORE.label(), r,
                    CellMetric.FILE_RESIDENT_BEFORE.unit(), AggregationPolicy.AVG)));
        }
        if (threadsUsed >= 0) {
            out.add(new ScalarResult(CellMetric.THREADS_USED.label(), threadsUsed, CellMetric.THREADS_USED.unit(),
                    AggregationPolicy.AVG));
        }
        // The machine over this measured iteration: others' load, then (after it, untimed) one core's speed.
        loadAtStart.flatMap(start -> slimbench.probe.MachineLoad.now(PROC).map(end -> end.since(start, Double.NaN)))
                .ifPresent(l -> out.add(new ScalarResult(CellMetric.LOAD_OTHERS.label(), l.othersCores(),
                        CellMetric.LOAD_OTHERS.unit(), AggregationPolicy.AVG)));
        if (measured(iterationParams)) {
            out.add(new ScalarResult(CellMetric.CORE_SPEED.label(), slimbench.probe.CoreSpeed.measure(SPEED_SAMPLE).p50Ms(),
                    CellMetric.CORE_SPEED.unit(), AggregationPolicy.AVG));
        }
        if (count > 0) {
            out.add(new LatencyResult(Arrays.copyOf(latencies, count)));
            if (unrecorded > 0) {
                out.add(new ScalarResult(LATENCY + "unrecorded", unrecorded, "#", AggregationPolicy.SUM));
            }
        }
        return out;
    }

    private static boolean measured(IterationParams p) {
        return p != null && p.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT;
    }

    private static ScalarResult ms(String label, long nanos, AggregationPolicy policy) {
        return new ScalarResult(label, nanos / NANOS_PER_MS, "ms", policy);
    }
}
