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
import org.openjdk.jmh.annotations.Mode;
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
 * {@code mem.rss.after.<phase>}. Where the machine has power sensors (Jetson INA3221, RAPL,
 * nvidia-smi's power.draw) the same sampler reads them, and the iteration also reports each
 * rail's mean and idle power and the energy per inference, or of the cold-start shot
 * (see {@link Energy}). A missing source is left out, never
 * reported as zero, and never fails the benchmark. It prints nothing.
 *
 * <p>Enable with {@code -prof slimbench.probe.MemoryProfiler} (JMH 1.37 resolves short names only
 * for its built-in profilers, so the class name is needed even though the profiler is registered
 * as a service) or {@code -prof slimbench.probe.MemoryProfiler:period=5} for a 5 ms period;
 * {@code idle=<ms>} sets the idle measurement ({@code idle=0} for none), options separated by ';'.
 * In a fork the roots are taken from the {@code slimbench.proc/sys/etc/var} system properties.
 */
public final class MemoryProfiler implements InternalProfiler {

    /**
     * The process's peak is the kernel's own (VmHWM, reset per iteration), exact however short the
     * spike; sampling adds the system's minimum free memory and the device nodes, which change
     * slowly. A period this long keeps the sampler's cost on a steady cell small (docs/performance.md);
     * where the kernel's peak cannot be reset, {@code period=10} catches shorter spikes.
     */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(50);

    /**
     * Idle power is measured this long before a fork's first iteration, and only where a power
     * sensor exists: long enough for a few dozen samples and a settled nvidia-smi average (it
     * averages over one second), short beside a cell's minute.
     */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(2);

    /** How often GPU, thermal and power sources are read, in milliseconds (see {@link Sampler}). */
    public static final long DEVICE_PERIOD_MS = Sampler.DEVICE_PERIOD_MS;

    /** Label prefix of the resident memory after each cold-start phase, see {@link ProcessMemory#markPhase}. */
    public static final String PHASE_PREFIX = "mem.rss.after.";

    private final Sampler sampler;

    /** The default: system roots, {@link #DEFAULT_PERIOD}, nvidia-smi when on the PATH. */
    public MemoryProfiler() {
        this(Roots.system(), DEFAULT_PERIOD, DEFAULT_IDLE, NvidiaSmi.onPath());
    }

    /**
     * JMH's constructor, with the text after {@code -prof name:}: empty, or {@code period=<ms>}
     * and/or {@code idle=<ms>} separated by ';'.
     *
     * @throws ProfilerException on an unknown option or a bad value, which JMH reports to the user
     */
    public MemoryProfiler(String options) throws ProfilerException {
        this(Roots.system(), option(options, "period", DEFAULT_PERIOD, 1), option(options, "idle", DEFAULT_IDLE, 0),
            NvidiaSmi.onPath());
    }

    /** For tests: recorded roots, a chosen period, no idle measurement and, if given, an nvidia-smi executable. */
    MemoryProfiler(Roots roots, Duration period, Optional<String> nvidiaSmi) {
        this(roots, period, Duration.ZERO, nvidiaSmi);
    }

    MemoryProfiler(Roots roots, Duration period, Duration idle, Optional<String> nvidiaSmi) {
        sampler = new Sampler(roots, period, idle, nvidiaSmi);
    }

    /**
     * Called by a benchmark at the end of a setup that JMH runs inside the first iteration (trial
     * setup loads the model there): the power means then cover the timed work, not the loading.
     * Costs one atomic increment; without the profiler it does nothing else.
     */
    public static void startPowerWindow() {
        Sampler.restartPowerWindow();
    }

    /** What one power sample costs here: how many rails, and the median time to read them all once. */
    public record PowerSampleCost(int rails, double medianNanos) {
    }

    /**
     * Reads every power rail under the system roots {@code samples} times, as the sampler does on
     * each device tick, for {@code overhead}; point {@code slimbench.sys} at a recorded tree to
     * measure it on a machine without sensors.
     */
    public static PowerSampleCost powerSampleCost(int samples) {
        List<PowerRail> rails = PowerSensors.find(Roots.system().sys()).rails();
        PowerMeter meter = new PowerMeter(rails, System::nanoTime);
        meter.start();
        long[] t = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            meter.sample();
            t[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(t);
        return new PowerSampleCost(rails.size(), samples == 0 ? Double.NaN : t[samples / 2]);
    }

    @Override
    public String getDescription() {
        return "Peak RSS (native included), heap, available memory, swap, page faults, NvMap, "
            + "Jetson GPU/EMC/thermal, NVIDIA GPU memory, power rails and energy per inference, "
            + "and a memory-pressure verdict";
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
        boolean shot = benchmarkParams != null && benchmarkParams.getMode() == Mode.SingleShotTime;
        results.addAll(sampler.energy().results(Energy.secondsPerOp(benchmarkParams, result), shot));
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

    /** The value of option {@code name} in "period=5;idle=0", {@code otherwise} when not given. */
    private static Duration option(String options, String name, Duration otherwise, long leastMillis)
            throws ProfilerException {
        if (options == null || options.isBlank()) {
            return otherwise;
        }
        Duration value = otherwise;
        for (String option : options.split(";")) {
            String[] kv = option.trim().split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2 || !(key.equals("period") || key.equals("idle"))) {
                throw new ProfilerException("Unknown option '" + option.trim()
                    + "'; the options are period=<milliseconds> and idle=<milliseconds>, separated by ';'");
            }
            if (!key.equals(name)) {
                continue;
            }
            try {
                long ms = Long.parseLong(kv[1].trim());
                if (ms < leastMillis) {
                    throw new ProfilerException(name + " must be at least " + leastMillis + " ms, was " + ms);
                }
                value = Duration.ofMillis(ms);
            } catch (NumberFormatException e) {
                throw new ProfilerException(name + " must be a whole number of milliseconds, was '" + kv[1] + "'");
            }
        }
        return value;
    }
}
