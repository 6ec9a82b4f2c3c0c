package slimbench.cli;

import java.util.Locale;
import java.util.stream.Collectors;
import slimbench.model.Model;
import slimbench.report.Interval;
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
                "%nPresets (--preset; --models, --variants, --forks, --iterations override them):%n"));
        for (Preset p : Preset.values()) {
            int all = Model.values().length;
            String models = p.models().size() == all ? "all " + all + " models"
                    : String.join(", ", p.models());
            int measurements = p.steadyForks() * p.iterations();
            String text = String.format(Locale.ROOT, "%s x %s x at-load, ahead. Cold: %d fork(s) of one shot each. "
                            + "Steady: %d warm-up + %d fork(s) x %d iteration(s) of >= %d ms: %s.",
                    models, p.variants().stream().collect(Collectors.joining(", ")), p.coldForks(), p.warmups(),
                    p.steadyForks(), p.iterations(), p.iterationTime().toMillis(), Interval.describe(measurements));
            wrap(out, String.format(Locale.ROOT, "  %-9s ", p.name().toLowerCase(Locale.ROOT)), text);
        }
        wrap(out, "  ", "A figure whose interval is missing or wider than itself is marked indicative in the report; "
                + "--forks and --iterations give more measurements.");
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
