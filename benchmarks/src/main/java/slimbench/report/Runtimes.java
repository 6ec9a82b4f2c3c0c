package slimbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

/**
 * The runtimes of one run side by side: per model, variant and threads, each other runtime's
 * steady-state mean and first inference against TensorFlow's, as the ratio of their times and
 * whether the two differ beyond their errors (the sum of the two 99.9% half-widths). TensorFlow's
 * {@code ahead} cell is the one compared where it was measured: ONNX Runtime runs the translation
 * of that graph; otherwise its {@code at-load} cell, and the table says which.
 */
final class Runtimes {
    private Runtimes() {}

    /** The runtimes a run measured, TensorFlow first (a run without rows: TensorFlow's). */
    static List<String> of(Run run) {
        List<String> r = run.rows().stream().map(ResultRow::runtime).distinct()
                .sorted(Comparator.comparing((String e) -> !e.equals(Engine.DEFAULT.label())).thenComparing(e -> e))
                .toList();
        return r.isEmpty() ? List.of(Engine.DEFAULT.label()) : r;
    }

    /**
     * A run that measured several runtimes becomes one run per runtime, TensorFlow first: in a diff
     * its runtimes are then columns side by side, each later one with its ratio, and no cell of one
     * runtime is matched with another's.
     */
    static List<Run> split(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            List<String> runtimes = of(r);
            if (runtimes.size() == 1) {
                out.add(r);
            } else {
                runtimes.forEach(rt -> out.add(r.ofRuntime(rt)));
            }
        }
        return out;
    }

    /** The section, or an empty string when the run measured one runtime. */
    static String sideBySide(Run run) {
        List<String> runtimes = of(run);
        if (runtimes.size() < 2) {
            return "";
        }
        String base = Engine.DEFAULT.label();
        Markdown table = new Markdown(List.of("model", "variant", "threads", "measure", "runtime",
                base + " ms", "ms", "× " + base, "beyond error"), 5);
        List<ResultRow> others = run.rows().stream()
                .filter(r -> !r.runtime().equals(base) && r.status() == Status.OK && isCompared(r))
                .sorted(Comparator.comparing(ResultRow::model, Order.MODEL).thenComparing(ResultRow::variant, Order.VARIANT)
                        .thenComparingInt(ResultRow::threads).thenComparing(ResultRow::mode).thenComparing(ResultRow::runtime))
                .toList();
        for (ResultRow o : others) {
            Optional<ResultRow> tf = tensorflow(run, o, Optimize.AHEAD.label()).or(() -> tensorflow(run, o, Optimize.AT_LOAD.label()));
            List<String> line = new ArrayList<>(List.of(o.model(), o.variant(), Integer.toString(o.threads()),
                    o.mode().equals(Mode.STEADY.label()) ? "steady mean" : "first inference", o.runtime()));
            if (tf.isEmpty()) {
                line.addAll(List.of("–", Markdown.number(o.score()), "–", "–"));
            } else {
                ResultRow t = tf.get();
                line.addAll(List.of(Markdown.number(t.score()) + " (" + t.optimize() + ")", Markdown.number(o.score()),
                        Markdown.ratio(o.score() / t.score()), beyondError(t, o)));
            }
            table.row(line);
        }
        return "\n## Runtimes side by side\n\nEach runtime's time against TensorFlow's on the same model, variant and "
                + "threads. *× " + base + "* = the runtime's time / TensorFlow's, < 1 is faster; *beyond error* says "
                + "whether the two differ by more than the sum of their 99.9% half-widths (– when either has none). "
                + "TensorFlow's `ahead` cell where measured (ONNX Runtime runs that graph's translation), else `at-load`.\n\n"
                + (table.isEmpty() ? "No cell was measured on both runtimes.\n" : table.render());
    }

    private static boolean isCompared(ResultRow r) {
        return r.mode().equals(Mode.STEADY.label()) && r.metric().equals(CellMetric.AVG.label())
                || r.mode().equals(Mode.COLD.label()) && r.metric().equals(CellMetric.FIRST_INFERENCE.label());
    }

    private static Optional<ResultRow> tensorflow(Run run, ResultRow other, String optimize) {
        return run.rows().stream().filter(r -> r.runtime().equals(Engine.DEFAULT.label()) && r.status() == Status.OK
                && r.model().equals(other.model()) && r.variant().equals(other.variant())
                && r.threads() == other.threads() && r.mode().equals(other.mode()) && r.metric().equals(other.metric())
                && r.optimize().equals(optimize)).findFirst();
    }

    private static String beyondError(ResultRow a, ResultRow b) {
        if (!(Double.isFinite(a.error()) && Double.isFinite(b.error()) && a.error() > 0 && b.error() > 0)) {
            return "–";
        }
        return Math.abs(a.score() - b.score()) > a.error() + b.error() ? "yes" : "within error";
    }
}
