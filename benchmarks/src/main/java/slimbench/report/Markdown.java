package slimbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Markdown tables and the way numbers are printed in them, shared by the report and the diff. */
final class Markdown {
    private final List<String> header;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table whose first {@code textColumns} columns are names (left-aligned) and the rest figures. */
    Markdown(List<String> header, int textColumns) {
        this.header = List.copyOf(header);
        this.textColumns = textColumns;
    }

    Markdown row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            rule.add(i < textColumns ? "---" : "---:");
        }
        line(out, rule);
        rows.forEach(r -> line(out, r));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String c : cells) {
            out.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }

    /** Three significant figures or so, never in exponent form: 0.123, 1.23, 12.3, 123, 12345; trailing zeros dropped (8.2, not 8.20). */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        String text = String.format(Locale.ROOT, pattern, v);
        return text.contains(".") ? text.replaceAll("\\.?0+$", "") : text;
    }

    /**
     * A ratio with two decimals, e.g. {@code 0.80}; below 0.1 with two significant figures
     * ({@code 0.0044}), so that a device 200 times faster does not read as 0.00; a ratio to nothing
     * is ∞, and no ratio at all –.
     */
    static String ratio(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        return String.format(Locale.ROOT, Math.abs(v) < 0.095 && v != 0 ? "%.2g" : "%.2f", v);
    }
}
