package slimbench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.distribution.TDistribution;
import slimbench.suite.ResultRow;

/**
 * Whether a figure's error bar lets it carry a conclusion, and whether two figures differ beyond
 * their errors: the one test the report, the runtimes' comparison and the diff all use.
 *
 * <p>A measured figure is only <i>indicative</i> when its 99.9% interval is missing (one shot per
 * fork, or fewer than 3 measurements, where JMH gives none), wider than the figure itself (the quick
 * preset's {@code 33.70 ± 99.78}), or made from fewer than {@link #MINIMUM_FORKS} forks: iterations in
 * one JVM are correlated (the core speed moves in spells), so their interval leaves out what varies
 * between JVMs and overclaims. A ratio says <i>beyond error</i> only when both figures carry a
 * conclusion and differ by more than the sum of their half-widths.
 */
public final class Interval {
    /** JMH's confidence level for {@code error}: the half-width of its 99.9% interval. */
    static final double CONFIDENCE = 0.999;
    /** The fewest measurements of a cell (forks x iterations) from which JMH gives an interval at all. */
    static final int MINIMUM_SAMPLES = 3;
    /** The fewest independent JVMs an interval must come from to support a conclusion. */
    static final int MINIMUM_FORKS = 3;

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
     * How many forks a row's figure comes from: the count the run recorded for its mode
     * ({@code suite.steady_forks}, {@code suite.cold_forks}), 0 when it recorded none (the 2019
     * reference, a file without conditions).
     */
    static int forks(Run run, ResultRow row) {
        String key = "suite." + row.mode() + "_forks";
        try {
            return Integer.parseInt(run.conditions().getOrDefault(key, "0").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A measured figure (not a file size, which is exact) whose interval carries no conclusion. */
    static boolean indicative(Figure f) {
        ResultRow r = f.row();
        return r.status().ok() && !r.mode().equals("file")
                && (Double.isNaN(r.error()) || r.error() > Math.abs(r.score()) || f.forks() < MINIMUM_FORKS);
    }

    /** The mark after a figure: {@code *indicative*}, or nothing. */
    static String mark(Figure f) {
        return indicative(f) ? " *indicative*" : "";
    }

    /** Whether two measured figures differ beyond their errors; {@link Verdict#INDICATIVE} when either is. */
    static Verdict compare(Figure a, Figure b) {
        if (a.row().mode().equals("file")) {
            return Verdict.EXACT;
        }
        if (indicative(a) || indicative(b)) {
            return Verdict.INDICATIVE;
        }
        return Math.abs(a.row().score() - b.row().score()) > a.row().error() + b.row().error() ? Verdict.BEYOND
                : Verdict.WITHIN;
    }

    /** Whether no measured figure among the rows has an interval: the table gets one note, not a mark per figure. */
    static boolean noneHasOne(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.status().ok() && !r.mode().equals("file")).allMatch(r -> Double.isNaN(r.error()));
    }

    /** One line under a table whose figures all lack an interval (cold shots), or nothing. */
    static String note(List<ResultRow> rows) {
        if (rows.isEmpty() || rows.get(0).mode().equals("file") || rows.stream().noneMatch(r -> r.status().ok())
                || !noneHasOne(rows)) {
            return "";
        }
        return "\nNo figure here has an interval (one shot per fork, or fewer than " + MINIMUM_SAMPLES
                + " measurements): each is *indicative*, and no ratio here is a conclusion.\n";
    }

    /**
     * What the marks mean, and how many measurements each steady cell had: what its interval is
     * made of ({@code suite.steady_forks} x measured iterations, from the run's conditions).
     */
    static String legend(Map<String, String> conditions) {
        StringBuilder out = new StringBuilder("\n*indicative*: the figure's 99.9% interval is missing, wider than the "
                + "figure, or from fewer than " + MINIMUM_FORKS + " forks (iterations in one JVM vary together, so "
                + "their interval leaves out what varies between JVMs): it draws no conclusion. A ratio says "
                + "*beyond error* when the two figures differ by more than both half-widths, *within error* when not, "
                + "*indicative* when either figure is.");
        steadyMeasurements(conditions).ifPresent(k -> out.append(" Steady cells here: ").append(describe(k))
                .append(" (forks x iterations)."));
        return out.append('\n').toString();
    }

    private static Optional<Integer> steadyMeasurements(Map<String, String> conditions) {
        try {
            int forks = Integer.parseInt(conditions.getOrDefault("suite.steady_forks", ""));
            Matcher m = Pattern.compile("(\\d+) measured iterations").matcher(conditions.getOrDefault("suite.iterations", ""));
            return m.find() ? Optional.of(forks * Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * How wide JMH's 99.9% interval is from {@code n} measurements, in standard deviations of one
     * measurement: {@code t(0.9995, n-1) / sqrt(n)}; NaN below {@link #MINIMUM_SAMPLES}, as JMH gives.
     */
    static double halfWidthInDeviations(int n) {
        if (n < MINIMUM_SAMPLES) {
            return Double.NaN;
        }
        return new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2) / Math.sqrt(n);
    }

    /** "3 measurements: the interval is ± 18.3 standard deviations of one", or why there is none. */
    public static String describe(int n) {
        return n < MINIMUM_SAMPLES ? n + (n == 1 ? " measurement" : " measurements") + ": no interval (JMH needs "
                + MINIMUM_SAMPLES + ")"
                : String.format(Locale.ROOT, "%d measurements: the 99.9%% interval is ± %.3g standard deviations of one measurement",
                        n, halfWidthInDeviations(n));
    }
}
