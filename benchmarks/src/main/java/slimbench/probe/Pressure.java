package slimbench.probe;

import java.util.Arrays;
import java.util.Map;

/**
 * The memory-pressure verdict of one cell, the {@code pressure} column of the results CSV.
 * Ordered from harmless to worst; a cell gets the worst verdict that applies.
 *
 * <ul>
 *   <li>{@code oom-risk}: MemAvailable fell under {@value #OOM_RISK_PERCENT}% of MemTotal or
 *       under {@value #OOM_RISK_FLOOR_MIB} MiB: the kernel was about to kill something;</li>
 *   <li>{@code swap}: pages were swapped in or out during the iteration, so the timings include
 *       disk or zram traffic;</li>
 *   <li>{@code low-memory}: MemAvailable fell under {@value #LOW_MEMORY_PERCENT}% of MemTotal or
 *       under {@value #LOW_MEMORY_FLOOR_MIB} MiB: page cache (model files, code) was being
 *       evicted;</li>
 *   <li>{@code none}: none of the above, or nothing could be measured.</li>
 * </ul>
 */
public enum Pressure {
    NONE("none"),
    LOW_MEMORY("low-memory"),
    SWAP("swap"),
    OOM_RISK("oom-risk");

    public static final int LOW_MEMORY_PERCENT = 10;
    public static final int LOW_MEMORY_FLOOR_MIB = 256;
    public static final int OOM_RISK_PERCENT = 3;
    public static final int OOM_RISK_FLOOR_MIB = 64;

    private final String word;

    Pressure(String word) {
        this.word = word;
    }

    /** The word written to the CSV. */
    public String word() {
        return word;
    }

    /** The number reported as {@link Metric#PRESSURE}. */
    public int code() {
        return ordinal();
    }

    /** The verdict for a {@code mem.pressure} score; out-of-range scores are clamped. */
    public static Pressure fromCode(double code) {
        if (Double.isNaN(code)) {
            return NONE;
        }
        int i = (int) Math.round(Math.max(0, Math.min(values().length - 1, code)));
        return values()[i];
    }

    /** The verdict for a CSV word; {@code none} for anything unknown. */
    public static Pressure fromWord(String word) {
        return Arrays.stream(values()).filter(p -> p.word.equals(word)).findFirst().orElse(NONE);
    }

    /**
     * Judges metric values keyed by {@link Metric#label()}, in the units of {@link Metric}:
     * {@code mem.avail.min} and {@code mem.total} in MiB, {@code mem.swap.in} and
     * {@code mem.swap.out} in pages. Absent metrics simply do not count; without
     * {@code mem.total} only the MiB floors apply.
     */
    public static Pressure judge(Map<String, Double> metrics) {
        Double avail = metrics.get(Metric.AVAIL_MIN.label());
        Double total = metrics.get(Metric.TOTAL.label());
        if (avail != null && avail < threshold(total, OOM_RISK_PERCENT, OOM_RISK_FLOOR_MIB)) {
            return OOM_RISK;
        }
        double swapped = metrics.getOrDefault(Metric.SWAP_IN.label(), 0.0)
            + metrics.getOrDefault(Metric.SWAP_OUT.label(), 0.0);
        if (swapped > 0) {
            return SWAP;
        }
        if (avail != null && avail < threshold(total, LOW_MEMORY_PERCENT, LOW_MEMORY_FLOOR_MIB)) {
            return LOW_MEMORY;
        }
        return NONE;
    }

    private static double threshold(Double totalMiB, int percent, int floorMiB) {
        return totalMiB == null ? floorMiB : Math.max(floorMiB, totalMiB * percent / 100.0);
    }
}
