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
 * The runtimes of one run side by side: per model, variant and threads that ran, each other
 * runtime's figures against TensorFlow's like cell, as the ratio of their times and the verdict of
 * {@link Interval#compare}. TensorFlow's {@code ahead} cell is the one compared where it was
 * measured (ONNX Runtime runs the translation of that graph), otherwise its {@code at-load} cell.
 *
 * <p>Cold start is compared by {@code total} and by session + first inference, never by the first
 * inference alone ({@link #WHY}). A cell is matched only with one that ran on as many threads: a
 * ratio across thread counts would not be a ratio of like cells.
 */
final class Runtimes {
    /** Why the first inference is not compared across runtimes, in one line. */
    static final String WHY = "TensorFlow defers graph optimisation to its first run, ONNX Runtime does it while "
            + "making the session, so their first inferences time different work; the cold start is compared by "
            + "`total` and by session + first inference.";

    /** What is compared across runtimes. */
    enum Measure {
        COLD_TOTAL(Mode.COLD, "cold total"),
        COLD_SESSION_FIRST(Mode.COLD, "session + first inference"),
        STEADY_MEAN(Mode.STEADY, "steady mean");

        final Mode mode;
        final String label;

        Measure(Mode mode, String label) {
            this.mode = mode;
            this.label = label;
        }
    }

    /** Another runtime's figure and TensorFlow's for the like cell. */
    record Pair(Measure measure, ResultRow tensorflow, ResultRow other) {
        double ratio() {
            return other.score() / tensorflow.score();
        }
    }

    private Runtimes() {}

    /** The runtimes a run measured, TensorFlow first (a run without rows: TensorFlow's). */
    static List<Engine> of(Run run) {
        List<Engine> r = run.rows().stream().map(ResultRow::runtime).distinct()
                .sorted(Comparator.comparing((Engine e) -> !e.equals(Engine.DEFAULT)).thenComparing(Engine::label))
                .toList();
        return r.isEmpty() ? List.of(Engine.DEFAULT) : r;
    }

    /** A runtime as a reader knows it: {@code TensorFlow}, {@code ONNX Runtime}, or the label as recorded. */
    static String title(Engine runtime) {
        return slimbench.engine.Engines.title(runtime.label());
    }

    /**
     * A run that measured several runtimes becomes one run per runtime, TensorFlow first: in a diff
     * its runtimes are then columns side by side, each later one with its ratio, and no cell of one
     * runtime is matched with another's.
     */
    static List<Run> split(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            List<Engine> runtimes = of(r);
            if (runtimes.size() == 1) {
                out.add(r);
            } else {
                runtimes.forEach(rt -> out.add(r.ofRuntime(rt)));
            }
        }
        return out;
    }

    /** Every measured cell of another runtime with TensorFlow's like cell, in the experiment's order. */
    static List<Pair> pairs(Run run) {
        List<Pair> out = new ArrayList<>();
        run.rows().stream().filter(r -> !r.runtime().equals(Engine.DEFAULT) && r.status() == Status.OK)
                .sorted(Comparator.comparing(ResultRow::name, Order.MODEL).thenComparing(ResultRow::variant)
                        .thenComparingInt(ResultRow::threads).thenComparing(r -> r.runtime().label()))
                .forEach(o -> {
                    for (Measure m : Measure.values()) {
                        if (o.mode() == m.mode && o.metric().equals(primary(m))) {
                            CellMatch cell = CellMatch.of(o.cell());
                            figure(run, cell, m).ifPresent(mine -> tensorflow(run, cell, m)
                                    .ifPresent(t -> out.add(new Pair(m, t, mine))));
                        }
                    }
                });
        return out;
    }

    /** The section, or an empty string when the run measured one runtime. */
    static String sideBySide(Run run) {
        if (of(run).size() < 2) {
            return "";
        }
        Engine base = Engine.DEFAULT;
        Markdown table = new Markdown(List.of("model", "variant", "threads", "measure", "runtime",
                title(base) + " ms", "ms", "× " + title(base), "verdict"), 5);
        for (Pair p : pairs(run)) {
            ResultRow t = p.tensorflow();
            ResultRow o = p.other();
            table.row(List.of(o.name(), o.variant().label(), Integer.toString(o.threads()), p.measure().label, title(o.runtime()),
                    Markdown.number(t.score()) + " (" + t.optimize() + ")", Markdown.number(o.score()),
                    Markdown.ratio(p.ratio()), Interval.compare(Interval.of(run, t), Interval.of(run, o)).label));
        }
        return "\n## Runtimes side by side\n\nEach runtime's time against TensorFlow's cell of the same model, variant "
                + "and threads that ran (none is set against a cell of other threads). *× " + title(base) + "* = the "
                + "runtime's time / TensorFlow's, < 1 is faster; *verdict* as the legend says. TensorFlow's `ahead` "
                + "cell where measured (ONNX Runtime runs that graph's translation), else `at-load`. " + WHY + "\n\n"
                + (table.isEmpty() ? "No cell was measured on both runtimes with the same threads.\n" : table.render());
    }

    private static String primary(Measure m) {
        return m == Measure.STEADY_MEAN ? CellMetric.AVG.label() : CellMetric.TOTAL.label();
    }

    /** TensorFlow's figure of the like cell: {@code ahead} where measured, else {@code at-load}. */
    private static Optional<ResultRow> tensorflow(Run run, CellMatch other, Measure m) {
        for (Optimize optimize : List.of(Optimize.AHEAD, Optimize.AT_LOAD)) {
            Optional<ResultRow> r = figure(run, other.on(Engine.DEFAULT, optimize), m);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * A cell's figure of the measure, measured: its row, or for session + first inference a row
     * made of the two (one shot each, so without an interval).
     */
    private static Optional<ResultRow> figure(Run run, CellMatch cell, Measure m) {
        if (m != Measure.COLD_SESSION_FIRST) {
            return ok(run, cell, primary(m));
        }
        Optional<ResultRow> session = ok(run, cell, CellMetric.SESSION.label());
        Optional<ResultRow> first = ok(run, cell, CellMetric.FIRST_INFERENCE.label());
        if (session.isEmpty() || first.isEmpty()) {
            return Optional.empty();
        }
        ResultRow f = first.get();
        return Optional.of(new ResultRow(f.cell(), "session+first_inference", session.get().score() + f.score(),
                Double.NaN, f.unit(), Math.min(session.get().samples(), f.samples()), Status.OK, "", f.pressure()));
    }

    private static Optional<ResultRow> ok(Run run, CellMatch cell, String metric) {
        return run.rows().stream().filter(r -> r.status() == Status.OK && r.metric().equals(metric) && cell.matches(r))
                .findFirst();
    }
}
