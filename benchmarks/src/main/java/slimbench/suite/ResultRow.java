package slimbench.suite;

import java.util.Arrays;
import java.util.List;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * One row of a results CSV: one metric of one benchmark cell.
 *
 * <p>A failed cell still writes one row with its status and message, and NaN scores, so that no
 * cell silently disappears.
 *
 * @param cell     the cell the row belongs to (model, variant, optimize, threads, mode, runtime)
 * @param metric   e.g. {@code total}, {@code first_inference}, {@code avg}, {@code p99}, {@code mem.rss.peak}
 * @param score    the value, NaN when the cell failed
 * @param error    half-width of the 95% interval over forks (older files: JMH's 99.9% over iterations), NaN when unknown
 * @param samples  how many measurements the score is made of (0 when failed)
 * @param forks    how many JVMs the score comes from (0 when failed or unknown): an interval is an
 *                 error bar only from 3 forks on ({@code report.Interval})
 * @param pressure the memory-pressure verdict of the cell ({@code none}, {@code swap}, {@code low-memory}, ...)
 */
public record ResultRow(Cell cell, String metric, double score, double error, String unit, long samples,
                        Status status, String message, String pressure, int forks) {

    /**
     * The CSV header, in column order. Defined once; the reader and the writer both use it.
     * Columns added later come last ({@code runtime}, then {@code threads_budget} and {@code forks}),
     * so every column keeps the place it had; a file that predates one is read with its default.
     */
    public static final String[] COLUMNS = {
        "model", "variant", "optimize", "threads", "mode", "metric",
        "score", "error", "unit", "samples", "status", "message", "pressure", "runtime", "threads_budget", "forks"};

    /** The columns every results CSV has: a file written before {@code runtime} has just these. */
    public static final List<String> REQUIRED = List.copyOf(Arrays.asList(COLUMNS).subList(0, 13));

    /** The column a file may lack, read then as {@link Engine#DEFAULT}. */
    public static final String RUNTIME = "runtime";

    /** The model as results name it ({@link Cell#name()}). */
    public String name() {
        return cell.name();
    }

    public Variant variant() {
        return cell.variant();
    }

    public Optimize optimize() {
        return cell.optimize();
    }

    public int threads() {
        return cell.threads();
    }

    public Mode mode() {
        return cell.mode();
    }

    public Engine runtime() {
        return cell.runtime();
    }

    /** The cell's key ({@link Cell#key()}), to match rows already written. */
    public String key() {
        return cell.key();
    }

    /** A row of a score whose forks are not known (a failure, a derived figure). */
    public ResultRow(Cell cell, String metric, double score, double error, String unit, long samples,
                     Status status, String message, String pressure) {
        this(cell, metric, score, error, unit, samples, status, message, pressure, 0);
    }

    /** This row with another pressure verdict. */
    public ResultRow withPressure(String other) {
        return new ResultRow(cell, metric, score, error, unit, samples, status, message, other, forks);
    }

    /** This row with another message. */
    public ResultRow withMessage(String other) {
        return new ResultRow(cell, metric, score, error, unit, samples, status, other, pressure, forks);
    }

    /** The threads the cell was allowed ({@link Cell#budget()}). */
    public int threadsBudget() {
        return cell.budget();
    }
}
