package slimbench.model;

import java.util.List;

/**
 * The metrics a cell reports of itself, defined once: the name the {@code metric} column, the
 * report and the diff spell, and its unit. The probes' metrics (memory, power, load of the GPU)
 * are {@code probe.Metric}'s; together the two enums are every metric a results file holds, apart
 * from a probe's per-phase and per-rail families ({@code mem.rss.after.<phase>}, {@code power.<rail>.mean}).
 */
public enum CellMetric implements Labelled {
    /** The model file a zoo cell loaded ({@link Mode#FILE}); the message holds its digest. */
    FILE_SIZE("file_size", "MiB"),
    /** Cold: the shot, from the model file to the first answer. */
    TOTAL("total", "ms"),
    READ("read", "ms"),
    IMPORT("import", "ms"),
    SESSION("session", "ms"),
    FIRST_INFERENCE("first_inference", "ms"),
    /** Cold: the rest of the shot (memory marks between phases, the input tensor), so the phases add up to total. */
    OTHER("other", "ms"),
    /** Cold: the percent of the model's bytes in the page cache as the shot began ({@code --file-cache}). */
    FILE_RESIDENT_BEFORE("file.resident_before", "%"),
    /** Steady: mean time of one inference. */
    AVG("avg", "ms"),
    THROUGHPUT("throughput", "inf/s"),
    P50("p50", "ms"),
    P90("p90", "ms"),
    P95("p95", "ms"),
    P99("p99", "ms"),
    /** Steady: a 95% upper confidence bound of p90 from order statistics (NaN when too few inferences bound it). */
    P90_UPPER("p90.upper", "ms"),
    P99_UPPER("p99.upper", "ms"),
    MAX("max", "ms"),
    INFERENCES("inferences", "#"),
    /** Steady: the intra-op threads the cell ran on, measured within its budget ({@code bench.ThreadChoice}); 0 is the engine's choice. */
    THREADS_USED("threads_used", "#"),
    /** How many forks the cell ran; the message says why no more (target met, budget spent, fixed). */
    FORKS("forks", "#"),
    /** One core's speed over the cell's measured iterations: the median of a fixed matmul's time ({@code probe.CoreSpeed}). */
    CORE_SPEED("machine.core_speed", "ms"),
    /** How far that speed moved between the cell's measured iterations: slowest over fastest, minus one. */
    CORE_SPEED_SPREAD("machine.core_speed.spread", "%"),
    /** Other processes' mean CPU use during the cell's measured iterations. */
    LOAD_OTHERS("load.others", "cores"),
    /** The 1-minute load average at the cell's end. */
    LOAD_AVG("load.avg", ""),
    /** Steady: 2 x the model's MACs per mean inference time. */
    GFLOPS("gflops", "GFLOP/s"),
    PEAK_FRACTION("peak_fraction", "%"),
    /** Cold: (peak - baseline resident memory) / the model's bytes. */
    MEM_OVER_MODEL("mem.over_model", "x"),
    /** Cold: resident memory with the engine loaded and an empty graph run, just before the shot. */
    MEM_RSS_AFTER_BASELINE("mem.rss.after.baseline", "MiB");

    /** The latency percentiles a steady cell reports over every measured inference, then the slowest. */
    public static final List<CellMetric> PERCENTILES = List.of(P50, P90, P95, P99);

    private final String label;
    private final String unit;

    CellMetric(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    @Override
    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The metric a cell of {@code mode} reports first, and under which a failed cell records its one row. */
    public static CellMetric primary(Mode mode) {
        return mode == Mode.COLD ? TOTAL : AVG;
    }

    @Override
    public String toString() {
        return label;
    }
}
