package slimbench.report;

import java.util.List;
import java.util.Map;
import slimbench.model.Mode;
import slimbench.suite.ResultRow;

/**
 * Whether a figure's error bar lets it carry a conclusion, and whether two figures differ beyond
 * their errors: the one test the report, the runtimes' comparison and the diff all use.
 *
 * <p>A figure's {@code error} is the half-width of its 95% interval over its cell's forks
 * ({@code suite.ForkStats}; runs from before the {@code forks} column: JMH's 99.9% interval over
 * iterations). A measured figure is only <i>indicative</i> when that interval is missing, wider than
 * the figure itself, or made from fewer than {@link #MINIMUM_FORKS} forks: iterations in one JVM are
 * correlated (the core speed moves in spells), so an interval from them leaves out what varies
 * between JVMs and overclaims. A ratio says <i>beyond error</i> only when both figures carry a
 * conclusion and differ by more than the sum of their half-widths.
 */
public final class Interval {
    /** The fewest independent JVMs an interval must come from to support a conclusion. */
    static final int MINIMUM_FORKS = slimbench.suite.ForkStats.MIN_FORKS;

    /** What a comparison of two figures may say. */
    enum Verdict {
        BEYOND("beyond error"), WITHIN("within error"), INDICATIVE("indicative"),
        /** A file size: exact, no error to speak of. */
        EXACT("");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The mark after a ratio: {@code  *beyond error*}, or nothing for an exact figure. */
        String mark() {
            return label.isEmpty() ? "" : " *" + label + "*";
        }
    }

    /** A figure with the number of JVMs its interval comes from (0: not known). */
    record Figure(ResultRow row, int forks) {}

    private Interval() {}

    /** The figure of a row of a run. */
    static Figure of(Run run, ResultRow row) {
        return new Figure(row, forks(run, row));
    }

    /**
     * How many forks a row's figure comes from: its own {@code forks}, or for a file from before that
     * column the count the run recorded for its mode ({@code suite.steady_forks}, {@code
     * suite.cold_forks}), 0 when it recorded none (the 2019 reference, a file without conditions).
     */
    static int forks(Run run, ResultRow row) {
        if (row.forks() > 0) {
            return row.forks();
        }
        String key = "suite." + row.mode().label() + "_forks";
        try {
            return Integer.parseInt(run.conditions().getOrDefault(key, "0").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A measured figure (not a file size, which is exact) whose interval carries no conclusion. */
    static boolean indicative(Figure f) {
        ResultRow r = f.row();
        return r.status().ok() && r.mode() != Mode.FILE
                && (Double.isNaN(r.error()) || r.error() > Math.abs(r.score()) || f.forks() < MINIMUM_FORKS);
    }

    /** The mark after a figure: {@code *indicative*}, or nothing. */
    static String mark(Figure f) {
        return indicative(f) ? " *indicative*" : "";
    }

    /** Whether two measured figures differ beyond their errors; {@link Verdict#INDICATIVE} when either is. */
    static Verdict compare(Figure a, Figure b) {
        if (a.row().mode() == Mode.FILE) {
            return Verdict.EXACT;
        }
        if (indicative(a) || indicative(b)) {
            return Verdict.INDICATIVE;
        }
        return differ(a.row().score(), a.row().error(), b.row().score(), b.row().error());
    }

    /** Beyond error when two scores differ by more than the sum of their half-widths. */
    private static Verdict differ(double a, double errorA, double b, double errorB) {
        return Math.abs(a - b) > errorA + errorB ? Verdict.BEYOND : Verdict.WITHIN;
    }

    /**
     * Whether figures of two runs differ beyond their errors. Within a run every figure shares the
     * machine's speed of its day; between runs or machines it does not, so each half-width is widened
     * by its cell's measured core-speed spread ({@code machine.core_speed.spread}, how far one core's
     * speed moved over the cell's measured iterations). A cell that recorded none (a run from before
     * that row) leaves that share out, and the verdict says so.
     */
    static String compareAcrossRuns(Run ra, ResultRow a, Run rb, ResultRow b) {
        Verdict plain = compare(of(ra, a), of(rb, b));
        if (plain == Verdict.EXACT || plain == Verdict.INDICATIVE) {
            return plain.label;
        }
        java.util.OptionalDouble sa = spread(ra, a);
        java.util.OptionalDouble sb = spread(rb, b);
        String verdict = differ(a.score(), a.error() + Math.abs(a.score()) * sa.orElse(0),
                b.score(), b.error() + Math.abs(b.score()) * sb.orElse(0)).label;
        return sa.isPresent() && sb.isPresent() ? verdict : verdict + ", core speed not covered";
    }

    /** A row's cell's core-speed spread as a fraction, if its run recorded one. */
    private static java.util.OptionalDouble spread(Run run, ResultRow row) {
        return run.find(CellMatch.of(row.cell()), slimbench.model.CellMetric.CORE_SPEED_SPREAD.label())
                .filter(r -> r.status().ok() && !Double.isNaN(r.score()))
                .map(r -> java.util.OptionalDouble.of(r.score() / 100)).orElse(java.util.OptionalDouble.empty());
    }

    /** Whether no measured figure among the rows has an interval: the table gets one note, not a mark per figure. */
    static boolean noneHasOne(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.status().ok() && r.mode() != Mode.FILE).allMatch(r -> Double.isNaN(r.error()));
    }

    /** One line under a table whose figures all lack an interval, or nothing. */
    static String note(List<ResultRow> rows) {
        if (rows.isEmpty() || rows.get(0).mode() == Mode.FILE || rows.stream().noneMatch(r -> r.status().ok())
                || !noneHasOne(rows)) {
            return "";
        }
        return "\nNo figure here has an interval (fewer than " + MINIMUM_FORKS
                + " forks): each is *indicative*, and no ratio here is a conclusion.\n";
    }

    /** What the marks mean, under the report's tables. */
    static String legend(Map<String, String> conditions) {
        return "\n`±` is the half-width of the figure's " + slimbench.suite.ForkStats.CONFIDENCE_PERCENT + "% interval "
                + "over its cell's forks (each fork a fresh JVM). *indicative*: the interval is missing, wider than the "
                + "figure, or from fewer than " + MINIMUM_FORKS + " forks: it draws no conclusion. A ratio says "
                + "*beyond error* when the two figures differ by more than both half-widths, *within error* when not, "
                + "*indicative* when either figure is." + conditions.entrySet().stream()
                .filter(e -> e.getKey().equals("suite.forks")).map(e -> " Forks here: " + e.getValue() + ".")
                .findFirst().orElse("") + "\n";
    }
}
