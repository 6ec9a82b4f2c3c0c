package slimbench.cli;

import java.util.Locale;
import slimbench.model.Model;
import slimbench.suite.ForkStats;
import slimbench.suite.Preset;

/**
 * The presets as {@code run --help} lists them, read from {@link Preset} itself so that the help
 * cannot drift from what a preset runs: its models and variants, cold forks, steady forks x
 * iterations, and what interval that many measurements give.
 */
final class PresetHelp {
    private PresetHelp() {}

    /** The width picocli wraps the rest of the help at. */
    private static final int WIDTH = 80;
    private static final String INDENT = "            ";

    static String text() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nPresets (--preset; --models, --variants, --optimize, --runtimes override them; --forks, --iterations fix the counts):%n"));
        for (Preset p : Preset.values()) {
            int all = Model.values().length;
            String models = p.models().size() == all ? "all " + all + " models"
                    : String.join(", ", p.models());
            String runtimes = p.runtimes() == null ? "every engine whose natives load" : String.join(", ", p.runtimes());
            String text = String.format(Locale.ROOT, "%s x %s x %s, on %s. Each cell runs %d forks, then adds "
                            + "forks until its %d%% interval is within +-%.0f%% of its mean or its budget (cold %d s, "
                            + "steady %d s) is spent. Steady forks: %d warm-up + %d measured iteration(s) of >= %d ms, "
                            + "on %s.",
                    models, String.join(", ", p.variants()), String.join(", ", p.optimize()), runtimes,
                    Preset.MIN_FORKS, ForkStats.CONFIDENCE_PERCENT,
                    100 * p.target(), p.coldBudget().toSeconds(), p.steadyBudget().toSeconds(), p.warmups(),
                    p.iterations(), p.iterationTime().toMillis(), p.chooseThreads()
                            ? "the fastest thread count within the budget (--choose-threads)" : "exactly the thread budget");
            wrap(out, String.format(Locale.ROOT, "  %-9s ", p.name().toLowerCase(Locale.ROOT)), text);
        }
        wrap(out, "  ", "A figure from fewer than " + ForkStats.MIN_FORKS + " forks has no interval and is marked "
                + "indicative in the report.");
        return out.toString();
    }

    /** Appends {@code first} and the text wrapped at {@link #WIDTH}, continuation lines indented. */
    private static void wrap(StringBuilder out, String first, String text) {
        StringBuilder line = new StringBuilder(first);
        int start = line.length();
        for (String word : text.split(" ")) {
            if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append(System.lineSeparator());
                line = new StringBuilder(INDENT);
                start = line.length();
            }
            line.append(line.length() > start ? " " : "").append(word);
        }
        out.append(line).append(System.lineSeparator());
    }
}
