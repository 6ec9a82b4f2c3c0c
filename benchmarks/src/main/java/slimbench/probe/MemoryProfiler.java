package slimbench.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Memory pressure and device state during each iteration, as JMH secondary results.
 *
 * <p>JMH's own profilers see the Java heap only, and on a Jetson Nano, where CPU and GPU share
 * 4 GB, cells die of native and GPU memory. This profiler samples the process's resident memory,
 * available system memory, swap, NvMap and the Jetson's GPU, EMC and thermal nodes in a
 * background thread (see {@link Sampler}) and returns one {@link Metric} per source that exists,
 * plus the {@link Pressure} verdict as {@code mem.pressure}, and the cold-start phase marks as
 * {@code mem.rss.after.<phase>}. A missing source is left out, never
 * reported as zero, and never fails the benchmark. It prints nothing.
 *
 * <p>Enable with {@code -prof slimbench.probe.MemoryProfiler} (JMH 1.37 resolves short names only
 * for its built-in profilers, so the class name is needed even though the profiler is registered
 * as a service) or {@code -prof slimbench.probe.MemoryProfiler:period=5} for a 5 ms period.
 * In a fork the roots are taken from the {@code slimbench.proc/sys/etc/var} system properties.
 */
public final class MemoryProfiler implements InternalProfiler {

    /**
     * The process's peak is the kernel's own (VmHWM, reset per iteration), exact however short the
     * spike; sampling adds the system's minimum free memory and the device nodes, which change
     * slowly. At 50 ms the sampler costs under 1% of a steady cell on two cores (10 ms cost ~2%);
     * where the kernel's peak cannot be reset, {@code period=10} catches shorter spikes.
     */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(50);

    /** Label prefix of the resident memory after each cold-start phase, see {@link ProcessMemory#markPhase}. */
    public static final String PHASE_PREFIX = "mem.rss.after.";

    private final Sampler sampler;

    /** The default: system roots, {@link #DEFAULT_PERIOD}, nvidia-smi when on the PATH. */
    public MemoryProfiler() {
        this(Roots.system(), DEFAULT_PERIOD, NvidiaSmi.onPath());
    }

    /**
     * JMH's constructor, with the text after {@code -prof name:}: empty, or {@code period=<ms>}.
     *
     * @throws ProfilerException on an unknown option or a bad period, which JMH reports to the user
     */
    public MemoryProfiler(String options) throws ProfilerException {
        this(Roots.system(), parsePeriod(options), NvidiaSmi.onPath());
    }

    /** For tests: recorded roots, a chosen period and, if given, an nvidia-smi executable. */
    MemoryProfiler(Roots roots, Duration period, Optional<String> nvidiaSmi) {
        sampler = new Sampler(roots, period, nvidiaSmi);
    }

    @Override
    public String getDescription() {
        return "Peak RSS (native included), heap, available memory, swap, page faults, NvMap, "
            + "Jetson GPU/EMC/thermal, NVIDIA GPU memory, and a memory-pressure verdict";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        ProcessMemory.drainPhases();
        sampler.start();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> results = results(sampler.stop());
        ProcessMemory.drainPhases().forEach((phase, bytes) -> results.add(
            new ScalarResult(PHASE_PREFIX + phase, bytes / (1024.0 * 1024.0), "MiB", AggregationPolicy.AVG)));
        return results;
    }

    /** The sampled values as results, in {@link Metric} order, followed by the verdict. */
    static List<Result> results(Map<Metric, Double> values) {
        Map<String, Double> byLabel = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        values.forEach((metric, value) -> {
            byLabel.put(metric.label(), value);
            results.add(metric.result(value));
        });
        results.add(Metric.PRESSURE.result(Pressure.judge(byLabel).code()));
        return results;
    }

    private static Duration parsePeriod(String options) throws ProfilerException {
        if (options == null || options.isBlank()) {
            return DEFAULT_PERIOD;
        }
        String[] kv = options.trim().split("=", 2);
        if (kv.length != 2 || !kv[0].trim().equals("period")) {
            throw new ProfilerException("Unknown option '" + options + "'; the only option is period=<milliseconds>");
        }
        try {
            long ms = Long.parseLong(kv[1].trim());
            if (ms < 1) {
                throw new ProfilerException("period must be at least 1 ms, was " + ms);
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new ProfilerException("period must be a whole number of milliseconds, was '" + kv[1] + "'");
        }
    }
}
