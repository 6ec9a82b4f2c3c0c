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
 * Whether a figure's error bar lets it carry a conclusion. A measured time whose 99.9% interval is
 * missing (a single shot per fork, or fewer than two measurements) or wider than the figure itself
 * (the quick preset's 3 iterations: {@code 33.70 ± 99.78}) is only indicative, and so is any ratio
 * made from it: the report marks both instead of printing a bare speed-up.
 */
public final class Interval {
    /** JMH's confidence level for {@code error}: the half-width of its 99.9% interval. */
    static final double CONFIDENCE = 0.999;
    /** The fewest measurements of a cell (forks x iterations) from which JMH gives an interval at all. */
    static final int MINIMUM_SAMPLES = 2;

    private Interval() {}

    /** A measured figure (not a file size, which is exact) with no interval, or one wider than itself. */
    static boolean indicative(ResultRow r) {
        return r.status().ok() && !r.mode().equals("file")
                && (Double.isNaN(r.error()) || r.error() > Math.abs(r.score()));
    }

    /** The mark after a figure: {@code *indicative*}, or nothing. */
    static String mark(ResultRow r) {
        return indicative(r) ? " *indicative*" : "";
    }

    /**
     * The mark after a ratio of two measured figures: {@code *beyond error*} when they differ by more
     * than both half-widths, {@code *within error*} when not (no conclusion), {@code *indicative*}
     * when either figure is.
     */
    static String ratioMark(ResultRow a, ResultRow b) {
        if (a.mode().equals("file")) {
            return "";
        }
        if (indicative(a) || indicative(b)) {
            return " *indicative*";
        }
        return Diff.beyondError(a, b).equals("yes") ? " *beyond error*" : " *within error*";
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
        StringBuilder out = new StringBuilder("\n*indicative*: the figure's 99.9% interval is missing or wider than the "
                + "figure, so it draws no conclusion. A ratio says *beyond error* when the two figures differ by more "
                + "than both half-widths, *within error* when not, *indicative* when either figure is.");
        steadyMeasurements(conditions).ifPresent(k -> out.append(" Steady cells here: ").append(describe(k))
                .append(" (forks x iterations; JMH gives an interval from ").append(MINIMUM_SAMPLES).append(")."));
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
     * measurement: {@code t(0.9995, n-1) / sqrt(n)}; NaN below {@link #MINIMUM_SAMPLES}.
     */
    static double halfWidthInDeviations(int n) {
        if (n < MINIMUM_SAMPLES) {
            return Double.NaN;
        }
        return new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2) / Math.sqrt(n);
    }

    /** "3 measurements: the interval is ± 18.3 standard deviations of one", or why there is none. */
    public static String describe(int n) {
        return n < MINIMUM_SAMPLES ? n + " measurement: no interval (JMH needs " + MINIMUM_SAMPLES + ")"
                : String.format(Locale.ROOT, "%d measurements: the 99.9%% interval is ± %.3g standard deviations of one measurement",
                        n, halfWidthInDeviations(n));
    }
}
