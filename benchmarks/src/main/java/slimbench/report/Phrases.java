package slimbench.report;

import java.util.Collections;
import java.util.List;

/** The plain sentences of a diff's summary: how a set of ratios of times reads. */
final class Phrases {
    private Phrases() {}

    /**
     * How a run stands against {@code whom} over ratios of its times to theirs: {@code faster than the
     * GTX 1070 on all 2 models (0.29–0.50× its time)}, {@code slower than ...}, or {@code faster than
     * ... on 1 of 2 models (0.80–1.40×)}.
     *
     * @param thing what a ratio is of, in the singular: {@code model}, {@code cell}
     */
    static String against(String whom, List<Double> ratios, String thing) {
        int n = ratios.size();
        if (n == 0) {
            return "no " + thing + " measured by both it and " + whom;
        }
        long faster = ratios.stream().filter(r -> r < 1).count();
        long slower = ratios.stream().filter(r -> r > 1).count();
        String all = n == 1 ? "the one " + thing + " both measured" : n == 2 ? "both " + thing + "s" : "all " + n + " " + thing + "s";
        if (faster == n) {
            return "faster than " + whom + " on " + all + " (" + range(ratios) + " its time)";
        }
        if (slower == n) {
            return "slower than " + whom + " on " + all + " (" + range(ratios) + " its time)";
        }
        return "faster than " + whom + " on " + faster + " of " + n + " " + thing + "s (" + range(ratios) + " its time)";
    }

    /** {@code 0.29–0.50×}, or one ratio {@code 0.29×}. */
    static String range(List<Double> ratios) {
        double min = Collections.min(ratios);
        double max = Collections.max(ratios);
        return Markdown.ratio(min) + (Markdown.ratio(min).equals(Markdown.ratio(max)) ? "" : "–" + Markdown.ratio(max)) + "×";
    }
}
