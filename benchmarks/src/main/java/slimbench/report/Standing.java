package slimbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import slimbench.model.CellMetric;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.ResultRow;

/**
 * "Where does my device stand": when a diff holds the 2019 reference, per runtime and precision a
 * sentence, and per model a table, of the steady-state mean of each new run against each 2019
 * machine's. fp32 is set against 2019's fp32 as exported; fp16 optimised ahead against 2019's
 * TF-TRT FP16 engines, the nearest analogue a CPU run has, and named as one; a {@code tensorrt}
 * run's fp16 is TensorRT's FP16 engine itself, 2019's kind of figure, and is not. A runtime that
 * measured a precision with one optimize only (ONNX Runtime optimises at load, in one cell) is
 * shown with that one.
 */
final class Standing {
    /** A 2019 cell and the new run's cell set beside it: the optimize modes to take, the first measured. */
    private record Pairing(Variant referenceVariant, Variant variant, List<Optimize> optimizes, boolean analogue) {
        /** The precision's name; an analogue is marked, unless the run is TensorRT's own ({@code like}). */
        String label(boolean like) {
            return !analogue ? variant.label() : variant + (like ? " = 2019's " : " ≈ 2019's ") + referenceVariant;
        }
    }

    private static final List<Pairing> PAIRINGS = List.of(
            new Pairing(Variant.FP32, Variant.FP32, List.of(Optimize.AT_LOAD, Optimize.AHEAD), false),
            new Pairing(Variant.TFTRT_FP16, Variant.FP16, List.of(Optimize.AHEAD, Optimize.AT_LOAD), true));
    /** The 2019 steady state was measured on the graph as exported (see ReferenceCsv). */
    private static final List<Optimize> REFERENCE_OPTIMIZE = List.of(Optimize.AT_LOAD);

    private final List<Run> runs;
    private final List<Integer> references = new ArrayList<>();
    private final List<Integer> others = new ArrayList<>();

    Standing(List<Run> runs) {
        this.runs = runs;
        for (int i = 0; i < runs.size(); i++) {
            (ReferenceCsv.isReference(runs.get(i)) ? references : others).add(i);
        }
    }

    /** Whether the diff holds the reference and a run to set beside it. */
    boolean applies() {
        return !references.isEmpty() && !others.isEmpty();
    }

    /** One plain sentence per new run (a runtime of a run) and precision it measured, as Markdown list items. */
    List<String> sentences() {
        List<String> out = new ArrayList<>();
        for (int o : others) {
            Run run = runs.get(o);
            for (Pairing p : PAIRINGS) {
                List<ResultRow> mine = models(false).stream().map(m -> mean(run, m, p.variant(), p.optimizes()))
                        .flatMap(Optional::stream).filter(r -> r.status().ok()).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                List<String> optimizes = mine.stream().map(r -> r.optimize().label()).distinct().toList();
                List<String> against = new ArrayList<>();
                for (int r : references) {
                    List<Double> ratios = new ArrayList<>();
                    for (ResultRow m : mine) {
                        mean(runs.get(r), m, p.referenceVariant(), REFERENCE_OPTIMIZE)
                                .filter(t -> t.status().ok()).ifPresent(t -> ratios.add(m.score() / t.score()));
                    }
                    against.add(Phrases.against("the " + machine(runs.get(r)), ratios, "model"));
                }
                out.add("- **" + runtime(run) + " " + p.label(tensorRt(o)) + "** (" + Diff.letter(o) + ", " + String.join(" and ", optimizes)
                        + "): " + String.join("; ", against) + ".");
            }
        }
        return out;
    }

    /** The table, per model any new run measured and precision: each run's mean and each new run's ratio to each machine. */
    void markdown(StringBuilder out, boolean full) {
        out.append("\n## Where this run stands: steady state, mean inference time (ms)\n\n")
                .append("*X/R* = X's mean / R's, < 1 is faster than that 2019 machine. The 2019 means (of 100 "
                        + "inferences) have no interval, so no ratio here is beyond error: read them as orders of "
                        + "magnitude. *≈* marks an analogue, not the same cell: 2019's tftrt-fp16 is TensorRT FP16 engines "
                        + "on the GPU, the nearest a CPU run has is fp16 prepared ahead; a tensorrt run's fp16 is "
                        + "TensorRT's FP16 engine, the same kind of figure (=). `--full` adds the models only 2019 "
                        + "measured.\n\n");
        List<String> header = new ArrayList<>(List.of("model", "precision"));
        references.forEach(r -> header.add(Diff.letter(r)));
        others.forEach(o -> header.add(Diff.letter(o)));
        others.forEach(o -> references.forEach(r -> header.add(Diff.letter(o) + "/" + Diff.letter(r))));
        Markdown table = new Markdown(header, 2);
        for (ResultRow model : models(full)) {
            for (Pairing p : PAIRINGS) {
                List<Optional<ResultRow>> mine = others.stream().map(o -> mean(runs.get(o), model, p.variant(),
                        p.optimizes())).toList();
                if (!full && mine.stream().allMatch(Optional::isEmpty)) {
                    continue;
                }
                List<Optional<ResultRow>> theirs = references.stream().map(r -> mean(runs.get(r), model,
                        p.referenceVariant(), REFERENCE_OPTIMIZE)).toList();
                boolean like = others.stream().allMatch(this::tensorRt);
                List<String> cells = new ArrayList<>(List.of(model.name(), !p.analogue() ? p.variant().label()
                        : p.variant() + (like ? " = " : " ≈ ") + p.referenceVariant()));
                theirs.forEach(t -> cells.add(Report.cell(t)));
                mine.forEach(m -> cells.add(Report.cell(m)));
                for (Optional<ResultRow> m : mine) {
                    for (Optional<ResultRow> t : theirs) {
                        cells.add(m.isPresent() && t.isPresent() && m.get().status().ok() && t.get().status().ok()
                                ? Markdown.ratio(m.get().score() / t.get().score()) : "–");
                    }
                }
                table.row(cells);
            }
        }
        out.append(table.render());
    }

    /** Whether a run is all {@code tensorrt} cells: TensorRT itself, whose FP16 engines 2019's TF-TRT built too. */
    private boolean tensorRt(int run) {
        List<ResultRow> rows = runs.get(run).rows();
        return !rows.isEmpty() && rows.stream().allMatch(r -> slimbench.engine.Engines.find(r.runtime().label())
                .map(slimbench.engine.InferenceEngine::buildsTensorRtFp16).orElse(false));
    }

    /**
     * The models a new run (with {@code all}, any run) measured in steady state, in the experiment's
     * order: a row of each, the like cell the others are found by.
     */
    private List<ResultRow> models(boolean all) {
        Map<String, ResultRow> models = new LinkedHashMap<>();
        (all ? java.util.stream.IntStream.range(0, runs.size()).boxed().toList() : others).forEach(o -> runs.get(o).rows()
                .stream().filter(row -> row.mode() == Mode.STEADY).forEach(row -> models.putIfAbsent(row.name(), row)));
        return models.values().stream().sorted(Comparator.comparing(ResultRow::name, Order.MODEL)).toList();
    }

    /**
     * The steady mean of a cell, or its failure row, with the first of the optimize modes the run
     * has: at threads 0 (all cores), else the most threads the run measured, the nearest to what
     * 2019's TensorFlow used by default.
     */
    private static Optional<ResultRow> mean(Run run, ResultRow model, Variant variant, List<Optimize> optimizes) {
        for (Optimize optimize : optimizes) {
            CellMatch match = CellMatch.of(model, variant, optimize, Mode.STEADY).anyRuntime(CellMatch.ANY);
            List<ResultRow> cell = run.rows().stream().filter(match::matches).toList();
            Optional<Integer> threads = cell.stream().map(ResultRow::threads)
                    .max(Comparator.comparingInt((Integer t) -> t == 0 ? Integer.MAX_VALUE : t));
            Optional<ResultRow> found = threads.flatMap(t -> cell.stream().filter(r -> r.threads() == t
                    && r.metric().equals(CellMetric.AVG.label())).findFirst()
                    .or(() -> cell.stream().filter(r -> r.threads() == t && !r.status().ok()).findFirst()));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** A 2019 machine as its conditions name its GPU ({@code Jetson Nano}), else by its label. */
    static String machine(Run run) {
        String gpus = run.conditions().getOrDefault("gpus", "");
        String name = gpus.contains("(") ? gpus.substring(0, gpus.indexOf('(')).strip() : gpus.strip();
        name = name.replaceFirst("^NVIDIA GeForce ", "");
        return name.isEmpty() ? run.label().substring(run.label().lastIndexOf('/') + 1) : name;
    }

    /** The runtime a run's rows ran on, as a reader knows it. */
    static String runtime(Run run) {
        return String.join(" + ", Runtimes.of(run).stream().map(Runtimes::title).toList());
    }
}
