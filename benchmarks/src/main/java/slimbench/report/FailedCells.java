package slimbench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import slimbench.model.Variant;
import slimbench.suite.ResultRow;

/**
 * The failed cells of the runs a diff compares, once each: one line per run, model, variant and
 * failure, naming the cells (mode and optimize) it hit. The diff's metric tables show a failure only
 * under the headline metric it stands for, so that a run with many failed cells (the 2019 Nano's
 * KILLED and NOT_STARTED ones) does not fill every table with status words.
 */
final class FailedCells {
    private FailedCells() {}

    private record Failure(String run, String model, Variant variant, String status, String message) {}

    /**
     * One line per run with failed cells, counted by status, naming the option that lists them:
     * the short diff's account of failures.
     */
    static void summary(List<Run> runs, StringBuilder out) {
        out.append("\n## Failed cells\n\n");
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Long> byStatus = new java.util.TreeMap<>();
            runs.get(i).rows().stream().filter(r -> !r.status().ok()).map(r -> r.key() + "\n" + r.status()).distinct()
                    .forEach(k -> byStatus.merge(k.substring(k.indexOf('\n') + 1), 1L, Long::sum));
            if (!byStatus.isEmpty()) {
                any = true;
                long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
                out.append("- ").append(Diff.letter(i)).append(": ").append(total).append(total == 1 ? " cell" : " cells")
                        .append(" failed (").append(String.join(", ", byStatus.entrySet().stream()
                                .map(e -> e.getValue() + " " + e.getKey()).toList())).append(")\n");
            }
        }
        if (!any) {
            out.append("None: every cell of every run was measured.\n");
        }
    }

    static void markdown(List<Run> runs, StringBuilder out) {
        Map<Failure, List<String>> cells = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            String run = Diff.letter(i);
            runs.get(i).rows().stream().filter(row -> !row.status().ok())
                    .sorted(Comparator.comparing(ResultRow::name, Order.MODEL).thenComparing(ResultRow::variant)
                            .thenComparing(ResultRow::mode, Order.MODE).thenComparing(ResultRow::optimize))
                    .forEach(row -> cells.computeIfAbsent(new Failure(run, row.name(), row.variant(), row.status().name(),
                            row.message() == null ? "" : row.message()), f -> new ArrayList<>())
                            .add(row.mode() + " " + row.optimize()));
        }
        Markdown table = new Markdown(List.of("run", "model", "variant", "status", "cells", "message"), 6);
        cells.forEach((f, where) -> table.row(List.of(f.run(), f.model(), f.variant().label(), f.status(),
                String.join(", ", where), f.message())));
        out.append("\n## Failed cells\n\n").append(table.isEmpty() ? "None: every cell of every run was measured.\n"
                : "Each once; the tables below show them only under the figure they stand for.\n\n" + table.render());
    }
}
