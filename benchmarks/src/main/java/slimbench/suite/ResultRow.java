package slimbench.suite;

/**
 * One row of a results CSV: one metric of one benchmark cell.
 *
 * <p>A cell is (model, variant, optimize, threads, mode). A failed cell still writes one row
 * with its status and message, and NaN scores, so that no cell silently disappears.
 *
 * @param mode     {@code cold}, {@code steady} or {@code file}
 * @param metric   e.g. {@code total}, {@code first_inference}, {@code avg}, {@code p99}, {@code mem.rss.peak}
 * @param score    the value, NaN when the cell failed
 * @param error    half-width of the 99.9% confidence interval as JMH reports it, NaN when unknown
 * @param samples  how many measurements the score is made of (0 when failed)
 * @param pressure the memory-pressure verdict of the cell ({@code none}, {@code swap}, {@code low-memory}, ...)
 */
public record ResultRow(String model, String variant, String optimize, int threads, String mode,
                        String metric, double score, double error, String unit, long samples,
                        Status status, String message, String pressure) {

    /** The CSV header, in column order. Defined once; the reader and the writer both use it. */
    public static final String[] COLUMNS = {
        "model", "variant", "optimize", "threads", "mode", "metric",
        "score", "error", "unit", "samples", "status", "message", "pressure"};

    /** The cell this row belongs to, as a stable key. */
    public String cell() {
        return model + "/" + variant + "/" + optimize + "/" + threads + "/" + mode;
    }
}
