package slimbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import slimbench.model.Engine;
import slimbench.suite.ResultRow;

/**
 * "Where does my device stand": when a diff holds the 2019 reference, one table first, per model,
 * with the steady-state mean of each 2019 machine and of each new run and the new run's ratio to
 * each machine, for the same cell (fp32 as exported) and for the nearest analogue of 2019's
 * TF-TRT FP16 engines, this run's fp16 optimised ahead. The analogue is named as one: the same
 * precision, prepared before the first inference, but on another device and another runtime; a
 * {@code tensorrt} run's fp16 is TensorRT's FP16 engine itself, 2019's kind of figure, and is not.
 */
final class Standing {
    /** A 2019 cell and the new run's cell it is set beside. */
    private record Pairing(String referenceVariant, String variant, String optimize, boolean analogue) {
        /** The new run's column: an analogue is marked, unless the run is TensorRT's own ({@code like}). */
        String label(boolean like) {
            return variant + (analogue ? " " + optimize + (like ? "" : " ≈") : "");
        }
    }

    private static final List<Pairing> PAIRINGS = List.of(new Pairing("fp32", "fp32", "at-load", false),
            new Pairing("tftrt-fp16", "fp16", "ahead", true));
    /** The 2019 steady state was measured on the graph as exported (see ReferenceCsv). */
    private static final String REFERENCE_OPTIMIZE = "at-load";

    private final List<Run> runs;
    private final List<Integer> references = new ArrayList<>();
    private final List<Integer> others = new ArrayList<>();

    Standing(List<Run> runs) {
        this.runs = runs;
        for (int i = 0; i < runs.size(); i++) {
            (ReferenceCsv.isReference(runs.get(i)) ? references : others).add(i);
        }
    }

    /** Appends the summary, or nothing when the diff has no reference or nothing beside it. */
    void markdown(StringBuilder out) {
        if (references.isEmpty() || others.isEmpty()) {
            return;
        }
        out.append("\n## Where this run stands: steady state, mean inference time (ms)\n\n");
        for (int i : references) {
            out.append("- ").append(Diff.letter(i)).append(": ").append(describe(runs.get(i))).append('\n');
        }
        for (int i : others) {
            out.append("- ").append(Diff.letter(i)).append(": ").append(describe(runs.get(i))).append('\n');
        }
        out.append("\n*X/R* = X's mean / R's, < 1 is faster than that 2019 machine. The 2019 means (of 100 "
                + "inferences) have no interval, so no ratio here is beyond error: read them as orders of magnitude. "
                + "*≈* marks an analogue, not the same cell: 2019's tftrt-fp16 is TensorRT FP16 engines on the GPU; "
                + "the nearest a CPU run has is fp16 with the graph optimised ahead (half precision, prepared when "
                + "the file was made). A tensorrt run's fp16 is TensorRT's FP16 engine on a GPU, the same kind of figure, "
                + "so it has no ≈. A failed 2019 cell shows its status; *Failed cells* below lists each once.\n\n");
        out.append(table().render());
    }

    private Markdown table() {
        List<String> header = new ArrayList<>(List.of("model"));
        for (Pairing p : PAIRINGS) {
            references.forEach(r -> header.add(Diff.letter(r) + " " + p.referenceVariant()));
            others.forEach(o -> header.add(Diff.letter(o) + " " + p.label(tensorRt(o))));
            others.forEach(o -> references.forEach(r -> header.add(Diff.letter(o) + "/" + Diff.letter(r)
                    + (p.analogue() && !tensorRt(o) ? " ≈" : ""))));
        }
        Markdown table = new Markdown(header, 1);
        for (String model : models()) {
            List<String> cells = new ArrayList<>(List.of(model));
            for (Pairing p : PAIRINGS) {
                references.forEach(r -> cells.add(Report.cell(mean(runs.get(r), model, p.referenceVariant(),
                        REFERENCE_OPTIMIZE))));
                others.forEach(o -> cells.add(Report.cell(mean(runs.get(o), model, p.variant(), p.optimize()))));
                for (int o : others) {
                    Optional<ResultRow> mine = mean(runs.get(o), model, p.variant(), p.optimize());
                    for (int r : references) {
                        Optional<ResultRow> theirs = mean(runs.get(r), model, p.referenceVariant(), REFERENCE_OPTIMIZE);
                        cells.add(mine.isPresent() && theirs.isPresent() && mine.get().status().ok()
                                && theirs.get().status().ok() ? Markdown.ratio(mine.get().score() / theirs.get().score())
                                : "–");
                    }
                }
            }
            table.row(cells);
        }
        return table;
    }

    /** Whether a run is all {@code tensorrt} cells: TensorRT itself, whose FP16 engines 2019's TF-TRT built too. */
    private boolean tensorRt(int run) {
        List<ResultRow> rows = runs.get(run).rows();
        return !rows.isEmpty() && rows.stream().allMatch(r -> r.runtime().equals(Engine.TENSORRT.label()));
    }

    /** The models any run measured in steady state, in the experiment's order. */
    private List<String> models() {
        Set<String> models = new LinkedHashSet<>();
        runs.forEach(r -> r.rows().stream().filter(row -> row.mode().equals("steady")).forEach(row -> models.add(row.model())));
        return models.stream().sorted(Order.MODEL).toList();
    }

    /**
     * The steady mean of a cell, or its failure row: at threads 0 (all cores), else the most threads
     * the run measured, the nearest to what 2019's TensorFlow used by default.
     */
    private static Optional<ResultRow> mean(Run run, String model, String variant, String optimize) {
        List<ResultRow> cell = run.rows().stream().filter(r -> r.mode().equals("steady") && r.model().equals(model)
                && r.variant().equals(variant) && r.optimize().equals(optimize)).toList();
        Optional<Integer> threads = cell.stream().map(ResultRow::threads)
                .max(Comparator.comparingInt((Integer t) -> t == 0 ? Integer.MAX_VALUE : t));
        return threads.flatMap(t -> cell.stream().filter(r -> r.threads() == t && r.metric().equals("avg")).findFirst()
                .or(() -> cell.stream().filter(r -> r.threads() == t && !r.status().ok()).findFirst()));
    }

    /** The run's label with the device its conditions name. */
    private static String describe(Run run) {
        List<String> device = new ArrayList<>();
        String gpus = run.conditions().get("gpus");
        if (gpus != null && !gpus.isBlank()) {
            device.add(gpus);
        }
        String cpu = run.conditions().get("cpu.model");
        if (cpu != null && !cpu.isBlank()) {
            device.add(cpu);
        }
        return run.label() + (device.isEmpty() ? "" : " (" + String.join(", ", device) + ")");
    }
}
