package slimbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import slimbench.model.CellMetric;
import slimbench.model.Mode;
import slimbench.probe.Metric;
import slimbench.suite.ResultRow;

/**
 * Several runs side by side: where each ran (arch, glibc, TensorFlow native, CPU, L4T) and the
 * other differences in run conditions first, then one table per metric
 * with the models as rows, one column per run, and per later run its ratio to the first run and
 * whether the difference is beyond the measurement error. Failed cells stay visible
 * ({@code OK -> KILLED}).
 *
 * <p>A run of several runtimes is one run per runtime ({@link #byRuntime}). Cells are matched on
 * (mode, metric, model, variant, optimize). Threads join the match only
 * when some run measured several thread counts; a row with threads 0 (unknown, as in the 2019
 * reference) then matches every thread count.
 */
public final class Diff {
    /** Metrics in the order their tables appear; others follow by name. */
    static final List<String> METRIC_ORDER = List.of(CellMetric.FILE_SIZE.label(), CellMetric.FIRST_INFERENCE.label(),
            CellMetric.TOTAL.label(), Metric.ENERGY_SHOT.label(), Metric.ENERGY_SHOT_ABOVE_IDLE.label(),
            CellMetric.READ.label(), CellMetric.IMPORT.label(), CellMetric.SESSION.label(), CellMetric.AVG.label(),
            CellMetric.THROUGHPUT.label(), Metric.ENERGY_PER_INFERENCE.label(),
            Metric.ENERGY_PER_INFERENCE_ABOVE_IDLE.label(), Metric.POWER_TOTAL.label(), CellMetric.P50.label(),
            CellMetric.P90.label(), CellMetric.P95.label(), CellMetric.P99.label(), CellMetric.MAX.label(),
            CellMetric.GFLOPS.label(), CellMetric.PEAK_FRACTION.label());
    /** Modes in pipeline order: the file, then cold, then steady. */
    static final List<String> MODE_ORDER = java.util.stream.Stream.of(Mode.FILE, Mode.COLD, Mode.STEADY)
            .map(Mode::label).toList();
    public static final List<String> CSV_COLUMNS = List.of("mode", "metric", "unit", "model", "variant", "optimize",
            "threads", "run", "label", "score", "error", "status", "pressure", "ratio", "beyond_error");
    private static final int LONGEST_CONDITION = 60;

    /**
     * Where a run ran, shown side by side for every run whether the values differ or not: what a
     * host run and a Jetson run differ in first. A row joins the values of its keys that a run has;
     * {@code glibc} is the 2019 reference's and older runs' spelling of {@code glibc.version}.
     */
    private record Where(String label, List<String> keys) {}

    private static final List<Where> WHERE = List.of(
            new Where("arch", List.of("jvm.arch")),
            new Where("glibc", List.of("glibc.version", "glibc")),
            new Where("native", List.of("tf.native", "tf.native.adapted", "tf.native.error")),
            new Where("CPU", List.of("cpu.model")),
            new Where("Jetson, L4T, JetPack", List.of("jetson.model", "jetson.l4t", "jetson.jetpack")));

    private record Key(String mode, String metric, String model, String variant, String optimize, int threads) {
        boolean matches(ResultRow r, boolean byThreads) {
            return r.mode().equals(mode) && r.model().equals(model) && r.variant().equals(variant)
                    && r.optimize().equals(optimize) && (!byThreads || r.threads() == threads || r.threads() == 0);
        }
    }

    private final List<Run> runs;
    private final boolean byThreads;
    /** The rows to show: cells at least two runs have, in table order. */
    private final List<Key> keys;
    /** How many (cell, metric)s only one run has; left out of the tables. */
    private final long unmatched;

    /**
     * @throws IllegalArgumentException with fewer than two runs, or when a run has no cell in
     *                                  common with the first one
     */
    public Diff(List<Run> given) {
        List<Run> runs = byRuntime(given);
        if (runs.size() < 2) {
            throw new IllegalArgumentException("diff needs at least two runs, got " + runs.size());
        }
        this.runs = List.copyOf(runs);
        this.byThreads = runs.stream().anyMatch(r -> r.rows().stream().map(ResultRow::threads)
                .filter(t -> t > 0).distinct().count() > 1);
        Set<Integer> threadCounts = new TreeSet<>();
        runs.forEach(r -> r.rows().forEach(row -> threadCounts.add(row.threads())));
        threadCounts.remove(0);

        Set<Key> all = new LinkedHashSet<>();
        for (Run run : runs) {
            for (ResultRow r : run.rows()) {
                if (!byThreads) {
                    all.add(key(r, 0));
                } else if (r.threads() != 0) {
                    all.add(key(r, r.threads()));
                } else {
                    threadCounts.forEach(t -> all.add(key(r, t)));
                }
            }
        }
        for (int i = 1; i < runs.size(); i++) {
            Run other = runs.get(i);
            if (all.stream().noneMatch(k -> find(runs.get(0), k).isPresent() && find(other, k).isPresent())) {
                throw new IllegalArgumentException(other.label() + " (" + other.source() + ") has no cell in common with "
                        + runs.get(0).label() + " (" + runs.get(0).source() + ")");
            }
        }
        this.unmatched = all.stream().filter(k -> runs.stream().filter(r -> find(r, k).isPresent()).count() < 2).count();
        this.keys = all.stream()
                .filter(k -> runs.stream().filter(r -> find(r, k).isPresent()).count() >= 2)
                .sorted(Comparator.comparing(Key::mode, Order.listed(MODE_ORDER))
                        .thenComparing(Key::metric, Order.listed(METRIC_ORDER))
                        .thenComparing(Key::model, Order.MODEL)
                        .thenComparing(Key::variant, Order.VARIANT)
                        .thenComparing(Key::optimize, Order.OPTIMIZATION)
                        .thenComparingInt(Key::threads))
                .toList();
    }

    /** The Markdown text: runs, condition differences, then a table per (mode, metric). */
    public String markdown() {
        StringBuilder out = new StringBuilder("# SlimBench diff\n\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.append("- **").append(letter(i)).append("** = ").append(r.label()).append(" (`").append(r.source())
                    .append("`)").append(i == 0 ? ", the baseline" : "").append('\n');
            r.notes().forEach(n -> out.append("  - partial: ").append(n).append('\n'));
        }
        where(out);
        conditions(out);
        out.append("\n## Results\n\nRatio columns: *X/A* = run X / run A, the first run; for times < 1 means "
                + "X is faster. *beyond error*: yes when |X − A| > errA + errX (JMH 99.9% CI half-widths), no "
                + "when within, ? when an error bar is missing. A failed cell shows its status word and the ratio "
                + "column the change of status (`OK -> KILLED`); – marks a cell the run does not have.\n");
        if (unmatched > 0) {
            out.append("\n").append(unmatched).append(" metric(s) of cells that only one run has are left out.\n");
        }
        Map<String, List<Key>> tables = new LinkedHashMap<>();
        keys.forEach(k -> tables.computeIfAbsent(k.mode() + " · " + k.metric(), t -> new ArrayList<>()).add(k));
        tables.forEach((title, rows) -> {
            out.append("\n### ").append(title).append(unit(rows.get(0))).append("\n\n");
            out.append(table(rows).render());
        });
        return out.toString();
    }

    /** One line per (cell, metric, run), for machines: the columns of {@link #CSV_COLUMNS}. */
    public String csv() {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            p.printRecord(CSV_COLUMNS);
            for (Key k : keys) {
                Optional<ResultRow> first = find(runs.get(0), k);
                for (int i = 0; i < runs.size(); i++) {
                    Optional<ResultRow> row = find(runs.get(i), k);
                    p.printRecord(k.mode(), k.metric(), row.map(ResultRow::unit).orElse(""), k.model(), k.variant(),
                            k.optimize(), byThreads ? k.threads() : "", letter(i), runs.get(i).label(),
                            row.filter(r -> r.status().ok()).map(r -> Double.toString(r.score())).orElse(""),
                            row.filter(r -> !Double.isNaN(r.error())).map(r -> Double.toString(r.error())).orElse(""),
                            row.map(r -> r.status().name()).orElse(""), row.map(ResultRow::pressure).orElse(""),
                            i == 0 ? "" : bothOk(first, row) ? Double.toString(row.get().score() / first.get().score()) : "",
                            i == 0 ? "" : bothOk(first, row) ? beyondError(first.get(), row.get()) : "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private Markdown table(List<Key> rows) {
        List<String> header = new ArrayList<>(List.of("model", "variant", "optimize"));
        if (byThreads) {
            header.add("threads");
        }
        header.add("A");
        for (int i = 1; i < runs.size(); i++) {
            header.addAll(List.of(letter(i), letter(i) + "/A", letter(i) + " beyond error"));
        }
        Markdown table = new Markdown(header, header.indexOf("A"));
        for (Key k : rows) {
            List<String> cells = new ArrayList<>(List.of(k.model(), k.variant(), k.optimize()));
            if (byThreads) {
                cells.add(Integer.toString(k.threads()));
            }
            Optional<ResultRow> first = find(runs.get(0), k);
            cells.add(Report.cell(first));
            for (int i = 1; i < runs.size(); i++) {
                Optional<ResultRow> other = find(runs.get(i), k);
                cells.add(Report.cell(other));
                cells.add(ratio(first, other));
                cells.add(bothOk(first, other) ? beyondError(first.get(), other.get()) : "");
            }
            table.row(cells);
        }
        return table;
    }

    /** The {@link #WHERE} rows some run recorded, a column per run; a run without them shows –. */
    private void where(StringBuilder out) {
        List<String> header = new ArrayList<>(List.of("ran on"));
        for (int i = 0; i < runs.size(); i++) {
            header.add(letter(i));
        }
        Markdown table = new Markdown(header, header.size());
        for (Where w : WHERE) {
            List<String> values = runs.stream().map(r -> w.keys().stream().map(r.conditions()::get)
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
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).conditions().isEmpty()) {
                out.append("\n").append(letter(i)).append(" recorded no run conditions (no ").append(Run.CONDITIONS_FILE)
                        .append(" beside its results).\n");
            }
        }
    }

    /**
     * The other conditions whose values differ between the runs; cpu.flags and other long values
     * are cut. Those of {@link #WHERE} are in the table above.
     */
    private void conditions(StringBuilder out) {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(r -> names.addAll(Report.orderedConditions(r.conditions()).keySet()));
        runs.forEach(r -> names.addAll(r.conditions().keySet()));
        WHERE.forEach(w -> names.removeAll(w.keys()));
        List<String> header = new ArrayList<>(List.of("condition"));
        for (int i = 0; i < runs.size(); i++) {
            header.add(letter(i));
        }
        Markdown table = new Markdown(header, header.size());
        for (String name : names) {
            List<String> values = runs.stream().map(r -> r.conditions().getOrDefault(name, "–")).toList();
            if (values.stream().distinct().count() > 1) {
                List<String> cells = new ArrayList<>(List.of(name));
                values.forEach(v -> cells.add(v.length() > LONGEST_CONDITION
                        ? v.substring(0, LONGEST_CONDITION - 1) + "…" : v));
                table.row(cells);
            }
        }
        out.append("\n## Run conditions that differ\n\n");
        out.append(table.isEmpty() ? "None: the recorded conditions are the same.\n" : table.render());
    }

    /** The row of the key's metric, or else the failure row of its cell (a failed cell has a single row). */
    /**
     * A run that measured several runtimes becomes one run per runtime, TensorFlow first: its
     * runtimes are then columns side by side, each later one with its ratio, and no cell of one
     * runtime is matched with another's.
     */
    static List<Run> byRuntime(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            List<String> runtimes = Runtimes.of(r);
            if (runtimes.size() == 1) {
                out.add(r);
            } else {
                runtimes.forEach(rt -> out.add(r.ofRuntime(rt)));
            }
        }
        return out;
    }

    private Optional<ResultRow> find(Run run, Key k) {
        Predicate<ResultRow> cell = r -> k.matches(r, byThreads);
        return run.rows().stream().filter(cell.and(r -> r.metric().equals(k.metric()))).findFirst()
                .or(() -> run.rows().stream().filter(cell.and(r -> !r.status().ok())).findFirst());
    }

    private static String ratio(Optional<ResultRow> first, Optional<ResultRow> other) {
        if (first.isEmpty() || other.isEmpty()) {
            return "–";
        }
        if (!bothOk(first, other)) {
            return first.get().status() + " -> " + other.get().status();
        }
        return Markdown.ratio(other.get().score() / first.get().score());
    }

    /** yes when |a-b| > errA + errB, no when within, ? when either error is unknown. */
    static String beyondError(ResultRow a, ResultRow b) {
        if (Double.isNaN(a.error()) || Double.isNaN(b.error())) {
            return "?";
        }
        return Math.abs(a.score() - b.score()) > a.error() + b.error() ? "yes" : "no";
    }

    private static boolean bothOk(Optional<ResultRow> a, Optional<ResultRow> b) {
        return a.isPresent() && b.isPresent() && a.get().status().ok() && b.get().status().ok();
    }

    private String unit(Key k) {
        return runs.stream().flatMap(r -> find(r, k).stream()).filter(r -> r.status().ok() && !r.unit().isEmpty())
                .map(r -> " (" + r.unit() + ")").findFirst().orElse("");
    }

    private Key key(ResultRow r, int threads) {
        return new Key(r.mode(), r.metric(), r.model(), r.variant(), r.optimize(), threads);
    }

    /** Run letters: A, B, ... Z, then A2, B2, ... */
    static String letter(int i) {
        return (char) ('A' + i % 26) + (i < 26 ? "" : Integer.toString(i / 26 + 1));
    }
}
