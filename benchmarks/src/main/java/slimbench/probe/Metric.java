package slimbench.probe;

import java.util.Arrays;
import java.util.Optional;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The secondary results {@link MemoryProfiler} reports, defined once: label, unit and how JMH
 * aggregates them over iterations (peaks by MAX, minima by MIN, the rest by AVG). The labels are
 * the {@code metric} column of the results CSV.
 */
public enum Metric {
    /** Peak resident memory of the benchmark process, native memory included. */
    RSS_PEAK("mem.rss.peak", "MiB", AggregationPolicy.MAX),
    /** Peak used Java heap. */
    HEAP_PEAK("mem.heap.peak", "MiB", AggregationPolicy.MAX),
    /** Lowest MemAvailable seen: how close the machine came to the OOM killer. */
    AVAIL_MIN("mem.avail.min", "MiB", AggregationPolicy.MIN),
    /** Physical memory, kept beside {@link #AVAIL_MIN} so that the verdict can use a fraction. */
    TOTAL("mem.total", "MiB", AggregationPolicy.MAX),
    /** Highest swap in use, by anyone. */
    SWAP_USED_MAX("mem.swap.used.max", "MiB", AggregationPolicy.MAX),
    /** Pages swapped in during the iteration, system-wide. */
    SWAP_IN("mem.swap.in", "pages", AggregationPolicy.AVG),
    /** Pages swapped out during the iteration, system-wide. */
    SWAP_OUT("mem.swap.out", "pages", AggregationPolicy.AVG),
    /** Major page faults of this process during the iteration. */
    MAJOR_FAULTS("mem.majflt", "count", AggregationPolicy.AVG),
    /** Jetson only: peak NvMapMemUsed, the GPU's share of the unified memory. */
    NVMAP_PEAK("mem.nvmap.peak", "MiB", AggregationPolicy.MAX),
    /** Jetson only: highest GPU load sampled. */
    GPU_LOAD_MAX("gpu.load.max", "%", AggregationPolicy.MAX),
    /** Jetson only: mean GPU load sampled. */
    GPU_LOAD_AVG("gpu.load.avg", "%", AggregationPolicy.AVG),
    /** Jetson only: mean GPU clock sampled. */
    GPU_FREQ("gpu.freq", "MHz", AggregationPolicy.AVG),
    /** Jetson only, usually root only: mean memory-controller clock sampled. */
    EMC_FREQ("emc.freq", "MHz", AggregationPolicy.AVG),
    /** Hottest thermal zone sampled. */
    THERMAL_MAX("thermal.max", "C", AggregationPolicy.MAX),
    /** Desktop NVIDIA GPU: highest memory used, from nvidia-smi. */
    GPU_MEM_USED_MAX("gpu.mem.used.max", "MiB", AggregationPolicy.MAX),
    /** Desktop NVIDIA GPU: its memory. */
    GPU_MEM_TOTAL("gpu.mem.total", "MiB", AggregationPolicy.MAX),
    /** Mean draw of the rails that make the whole device ({@link PowerSensors#whole()}) during the iteration. */
    POWER_TOTAL("power.total.mean", "W", AggregationPolicy.AVG),
    /** The same rails' mean draw in the idle seconds before the fork's first iteration. */
    POWER_TOTAL_IDLE("power.total.idle", "W", AggregationPolicy.AVG),
    /** Steady state: {@link #POWER_TOTAL} x mean time of one inference. */
    ENERGY_PER_INFERENCE("energy.per_inference", "mJ", AggregationPolicy.AVG),
    /** Steady state: ({@link #POWER_TOTAL} - {@link #POWER_TOTAL_IDLE}) x mean time of one inference. */
    ENERGY_PER_INFERENCE_ABOVE_IDLE("energy.per_inference.above_idle", "mJ", AggregationPolicy.AVG),
    /** Cold start: {@link #POWER_TOTAL} x the shot's time, from the model file to the first answer. */
    ENERGY_SHOT("energy.shot", "J", AggregationPolicy.AVG),
    /** Cold start: the shot's energy above idle. */
    ENERGY_SHOT_ABOVE_IDLE("energy.shot.above_idle", "J", AggregationPolicy.AVG),
    /** The {@link Pressure} verdict as its {@link Pressure#code()}; MAX keeps the worst iteration. */
    PRESSURE("mem.pressure", "level", AggregationPolicy.MAX);

    /** Per-rail labels: {@code power.<rail>.mean} and {@code power.<rail>.idle}, in W like {@link #POWER_TOTAL}. */
    public static final String RAIL_PREFIX = "power.";
    public static final String RAIL_MEAN = ".mean";
    public static final String RAIL_IDLE = ".idle";

    private final String label;
    private final String unit;
    private final AggregationPolicy policy;

    Metric(String label, String unit, AggregationPolicy policy) {
        this.label = label;
        this.unit = unit;
        this.policy = policy;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public AggregationPolicy policy() {
        return policy;
    }

    /** This metric as a JMH secondary result. */
    public ScalarResult result(double value) {
        return new ScalarResult(label, value, unit, policy);
    }

    /** One rail's mean draw during the iteration. */
    public static ScalarResult railMean(String rail, double watts) {
        return new ScalarResult(RAIL_PREFIX + rail + RAIL_MEAN, watts, POWER_TOTAL.unit, AggregationPolicy.AVG);
    }

    /** One rail's mean draw while idle before the fork's first iteration. */
    public static ScalarResult railIdle(String rail, double watts) {
        return new ScalarResult(RAIL_PREFIX + rail + RAIL_IDLE, watts, POWER_TOTAL.unit, AggregationPolicy.AVG);
    }

    /** The metric with this label, e.g. when reading a results CSV back. */
    public static Optional<Metric> byLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }
}
