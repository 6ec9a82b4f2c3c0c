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
    /** Steady: mean time of one inference. */
    AVG("avg", "ms"),
    THROUGHPUT("throughput", "inf/s"),
    P50("p50", "ms"),
    P90("p90", "ms"),
    P95("p95", "ms"),
    P99("p99", "ms"),
    MAX("max", "ms"),
    INFERENCES("inferences", "#"),
    /** Steady: the intra-op threads the cell ran on, measured within its budget ({@code bench.ThreadChoice}); 0 is the engine's choice. */
    THREADS_USED("threads_used", "#"),
    /** Other processes' mean CPU use during the cell. */
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
