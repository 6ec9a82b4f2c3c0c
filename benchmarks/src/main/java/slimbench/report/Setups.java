package slimbench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the runs of a diff ran and how their conditions differ, one column per run; the runtimes
 * of one run (one results file) share their conditions, so they share a column ({@code C, D}).
 */
final class Setups {
    /**
     * Where a run ran, shown side by side whether the values differ or not: what a host run and a
     * Jetson run differ in first. A row joins the values of its keys that a run has; {@code glibc}
     * is the 2019 reference's and older runs' spelling of {@code glibc.version}.
     */
    private record Where(String label, List<String> keys) {}

    private static final List<Where> WHERE = List.of(
            new Where("arch", List.of("jvm.arch")),
            new Where("glibc", List.of("glibc.version", "glibc")),
            new Where("native", List.of("tf.native", "tf.native.adapted", "tf.native.error")),
            new Where("CPU", List.of("cpu.model")),
            new Where("cores", List.of("cpu.cores.physical", "cores")),
            new Where("GPU", List.of("gpus")),
            new Where("Jetson, L4T, JetPack", List.of("jetson.model", "jetson.l4t", "jetson.jetpack")));
    private static final int LONGEST_CONDITION = 60;

    /** The column heading of each group and one run of it, whose conditions stand for all. */
    private final Map<String, Run> columns = new LinkedHashMap<>();

    Setups(List<Run> runs) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            bySource.computeIfAbsent(r.source().toAbsolutePath() + "\n" + r.conditions(), k -> new ArrayList<>()).add(i);
        }
        bySource.values().forEach(group -> columns.put(String.join(", ", group.stream().map(Diff::letter).toList()),
                runs.get(group.get(0))));
    }

    /** The {@link #WHERE} rows some run recorded; a run without them shows –. */
    void where(StringBuilder out) {
        Markdown table = new Markdown(header("ran on"), columns.size() + 1);
        for (Where w : WHERE) {
            List<String> values = columns.values().stream().map(r -> w.keys().stream().map(r.conditions()::get)
                    .filter(v -> v != null && !v.isBlank()).distinct().reduce((a, b) -> a + "; " + b).orElse("–")).toList();
            if (values.stream().anyMatch(v -> !v.equals("–"))) {
                List<String> cells = new ArrayList<>(List.of(w.label()));
                cells.addAll(values);
                table.row(cells);
            }
        }
        out.append("\n## Where each run ran\n\n");
        out.append(table.isEmpty() ? "No run recorded its architecture, C library, TensorFlow native or CPU.\n"
                : table.render());
        columns.forEach((letters, r) -> {
            if (r.conditions().isEmpty()) {
                out.append("\n").append(letters).append(" recorded no run conditions (no ").append(Run.CONDITIONS_FILE)
                        .append(" beside its results).\n");
            }
        });
    }

    /**
     * The other conditions two or more runs recorded with different values; a condition only some
     * runs recorded is no difference between them. cpu.flags and other long values are cut; those
     * of {@link #WHERE} are in the table above.
     */
    void differences(StringBuilder out) {
        Set<String> names = new LinkedHashSet<>();
        columns.values().forEach(r -> names.addAll(Report.orderedConditions(r.conditions()).keySet()));
        WHERE.forEach(w -> names.removeAll(w.keys()));
        Markdown table = new Markdown(header("condition"), columns.size() + 1);
        for (String name : names) {
            List<String> values = columns.values().stream().map(r -> r.conditions().getOrDefault(name, "–")).toList();
            if (values.stream().filter(v -> !v.equals("–")).count() >= 2
                    && values.stream().filter(v -> !v.equals("–")).distinct().count() > 1) {
                List<String> cells = new ArrayList<>(List.of(name));
                values.forEach(v -> cells.add(v.length() > LONGEST_CONDITION ? v.substring(0, LONGEST_CONDITION - 1) + "…" : v));
                table.row(cells);
            }
        }
        out.append("\n## Run conditions that differ\n\n");
        out.append(columns.size() < 2 ? "The runs are parts of one run: their conditions are the same.\n"
                : table.isEmpty() ? "None: where two runs recorded a condition, they recorded the same.\n" : table.render());
    }

    private List<String> header(String first) {
        List<String> header = new ArrayList<>(List.of(first));
        header.addAll(columns.keySet());
        return header;
    }
}
