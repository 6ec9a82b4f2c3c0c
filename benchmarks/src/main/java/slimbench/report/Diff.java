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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Variant;
import slimbench.probe.Metric;
import slimbench.suite.ResultRow;

/**
 * Several runs side by side. By default the answer first: one plain sentence per runtime and
 * precision (against the 2019 machines when the reference is among the runs, else each run against
 * the one before it of its runtime), the runtimes of one run against each other, then where each
 * new run stands against the 2019 machines ({@link Standing}) or the headline figures (cold total,
 * steady mean), where each ran, and the failed cells counted. {@code --full} adds the run
 * conditions that differ, each failed cell, and one table per metric with the models as rows, one
 * column per run and the ratios (each later run to each earlier one, or every run to a chosen
 * baseline) with {@link Interval#compare}'s verdict.
 *
 * <p>A run of several runtimes is one run per runtime ({@link Runtimes#split}). Cells are matched on
 * (mode, metric, model, variant, optimize). Threads join the match only when some run measured
 * several thread counts; a row with threads 0 (unknown, as in the 2019 reference) then matches
 * every thread count, and a ratio of cells that ran on different thread counts says so.
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
    public static final List<String> CSV_COLUMNS = List.of("mode", "metric", "unit", "model", "variant", "optimize",
            "threads", "run", "label", "score", "error", "status", "pressure", "ratio", "verdict");
    /** The parts of a cold start, which runtimes split differently: compared within a runtime only. */
    static final Set<String> PHASES = Set.of(CellMetric.READ.label(), CellMetric.IMPORT.label(),
            CellMetric.SESSION.label(), CellMetric.FIRST_INFERENCE.label());

    /** A row of a table: one metric of a cell, on any runtime (runs of several are split) and threads as the diff matches them. */
    private record Key(CellMatch cell, String metric) {
        Mode mode() {
            return cell.mode();
        }
    }

    /**
     * The metrics under which a failed cell is shown in place of a figure: the ones its single
     * failure row can stand for. Elsewhere (percentiles, probes) it would only fill a table with
     * status words; the failed cells are listed once instead.
     */
    static final Set<String> HEADLINE = Set.of(CellMetric.FILE_SIZE.label(), CellMetric.FIRST_INFERENCE.label(),
            CellMetric.TOTAL.label(), CellMetric.AVG.label());
    /** The tables of the short diff without the reference: what a user waits for, cold and warm. */
    static final Set<String> HEADLINE_TABLES = Set.of(CellMetric.TOTAL.label(), CellMetric.AVG.label());

    private final List<Run> runs;
    /** The runs as given, before their runtimes were split; {@link #origin} maps {@link #runs} to them. */
    private final List<Run> given;
    private final List<Integer> origin = new ArrayList<>();
    private final boolean byThreads;
    /** The run every ratio is taken against, or -1: each run against each earlier one. */
    private final int baseline;
    /** The rows to show: cells at least two runs have, in table order. */
    private final List<Key> keys;
    /** The (cell, metric)s only one run has, left out of the tables. */
    private final List<Key> unmatched;

    /** Ratios of each run to each earlier one. */
    public Diff(List<Run> runs) {
        this(runs, -1);
    }

    /**
     * @param baseline the index of the run every ratio is against, or -1 for each run against each
     *                 earlier one
     * @throws IllegalArgumentException with fewer than two runs, or when a run has no cell in
     *                                  common with the baseline (the first run when there is none)
     */
    public Diff(List<Run> given, int givenBaseline) {
        List<Run> runs = Runtimes.split(given);
        if (givenBaseline < -1 || givenBaseline >= given.size()) {
            throw new IllegalArgumentException("no run " + givenBaseline + " to take as the baseline of " + given.size());
        }
        int baseline = givenBaseline < 0 ? -1 : Runtimes.split(given.subList(0, givenBaseline)).size(); // its first runtime
        if (runs.size() < 2) {
            throw new IllegalArgumentException("diff needs at least two runs, got " + runs.size());
        }
        if (baseline < -1 || baseline >= runs.size()) {
            throw new IllegalArgumentException("no run " + baseline + " to take as the baseline of " + runs.size());
        }
        this.runs = List.copyOf(runs);
        this.given = List.copyOf(given);
        for (int g = 0; g < given.size(); g++) {
            for (int k = 0; k < Runtimes.split(List.of(given.get(g))).size(); k++) {
                origin.add(g);
            }
        }
        this.baseline = baseline;
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
        Run base = runs.get(Math.max(0, baseline));
        for (Run other : runs) {
            if (other != base && all.stream().noneMatch(k -> exact(base, k).isPresent() && exact(other, k).isPresent())) {
                throw new IllegalArgumentException(other.label() + " (" + other.source() + ") has no cell in common with "
                        + base.label() + " (" + base.source() + ")");
            }
        }
        this.unmatched = all.stream().filter(k -> runs.stream().filter(r -> exact(r, k).isPresent()).count() < 2).toList();
        this.keys = all.stream()
                .filter(k -> runs.stream().filter(r -> exact(r, k).isPresent()).count() >= 2)
                .sorted(Comparator.comparing(Key::mode, Order.MODE)
                        .thenComparing(Key::metric, Order.listed(METRIC_ORDER))
                        .thenComparing(k -> k.cell().name(), Order.MODEL)
                        .thenComparing(k -> k.cell().variant())
                        .thenComparing(k -> k.cell().optimize())
                        .thenComparingInt(k -> k.cell().threads()))
                .toList();
    }

    /** The short diff: the answer, the standing or headline figures, where each ran, the failures counted. */
    public String markdown() {
        return markdown(false);
    }

    /**
     * The Markdown text.
     *
     * @param full also the conditions that differ, each failed cell and a table for every metric
     */
    public String markdown(boolean full) {
        StringBuilder out = new StringBuilder("# SlimBench diff\n\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.append("- **").append(letter(i)).append("** = ").append(r.label()).append(device(r)).append(" (`")
                    .append(r.source()).append("`)").append(i == baseline ? ", the baseline" : "").append('\n');
            r.notes().forEach(n -> out.append("  - partial: ").append(n).append('\n'));
        }
        Standing standing = new Standing(runs);
        inShort(out, standing);
        if (standing.applies()) {
            standing.markdown(out, full);
        }
        Setups setups = new Setups(runs);
        setups.where(out);
        if (!full) {
            if (!standing.applies()) {
                results(out, keys.stream().filter(k -> HEADLINE_TABLES.contains(k.metric())).toList(), false);
            }
            FailedCells.summary(runs, out);
            long tables = keys.stream().map(k -> k.mode() + k.metric()).distinct().count();
            out.append("\n`--full` adds ").append(tables).append(" tables, one per metric, the run conditions that differ "
                    + "and each failed cell with its message.\n");
            return out.toString();
        }
        setups.differences(out);
        FailedCells.markdown(runs, out);
        results(out, keys, true);
        return out.toString();
    }

    /**
     * One plain sentence per runtime and precision, and per run of several runtimes one for each
     * runtime against TensorFlow; with the reference, the standing against the 2019 machines.
     */
    private void inShort(StringBuilder out, Standing standing) {
        out.append("\n## In short\n\n");
        List<String> lines = new ArrayList<>();
        if (standing.applies()) {
            out.append("Steady-state mean inference time against the 2019 machines (this run's time / theirs):\n\n");
            lines.addAll(standing.sentences());
        } else {
            for (int i = 0; i < runs.size(); i++) {
                int j = comparator(i);
                if (j >= 0) {
                    lines.addAll(sentences(j, i));
                }
            }
        }
        boolean runtimes = false;
        for (int g = 0; g < given.size(); g++) {
            List<Runtimes.Pair> pairs = Runtimes.pairs(given.get(g));
            runtimes |= !pairs.isEmpty();
            for (Engine other : pairs.stream().map(p -> p.other().runtime()).distinct().toList()) {
                lines.add(runtimes(g, other, pairs.stream().filter(p -> p.other().runtime().equals(other)).toList()));
            }
        }
        out.append(lines.isEmpty() ? "No cell of one run is in another (of its runtime) to compare." : String.join("\n", lines))
                .append('\n');
        if (runtimes) {
            out.append("\n").append(Runtimes.WHY).append('\n');
        }
    }

    /** The run run {@code i}'s sentences compare it with: the baseline, else the latest earlier run of its runtime. */
    private int comparator(int i) {
        if (baseline >= 0) {
            return i == baseline || !runtime(runs.get(i)).equals(runtime(runs.get(baseline))) ? -1 : baseline;
        }
        for (int j = i - 1; j >= 0; j--) {
            if (runtime(runs.get(j)).equals(runtime(runs.get(i)))) {
                return j;
            }
        }
        return -1;
    }

    /** Run {@code i} against run {@code j}, one sentence per variant: its steady mean and cold total. */
    private List<String> sentences(int j, int i) {
        List<String> out = new ArrayList<>();
        for (Variant variant : keys.stream().map(k -> k.cell().variant()).distinct().toList()) {
            List<String> parts = new ArrayList<>();
            for (String metric : List.of(CellMetric.AVG.label(), CellMetric.TOTAL.label())) {
                List<Double> ratios = new ArrayList<>();
                List<String> verdicts = new ArrayList<>();
                for (Key k : keys) {
                    if (k.cell().variant() == variant && k.metric().equals(metric)) {
                        Optional<ResultRow> a = find(runs.get(j), k);
                        Optional<ResultRow> b = find(runs.get(i), k);
                        ratioOf(j, a, i, b).ifPresent(r -> {
                            ratios.add(r);
                            verdicts.add(verdict(j, a, i, b));
                        });
                    }
                }
                if (!ratios.isEmpty()) {
                    parts.add((metric.equals(CellMetric.AVG.label()) ? "steady mean " : "cold total ")
                            + Phrases.against(letter(j), ratios, "cell") + verdicts(verdicts));
                }
            }
            if (!parts.isEmpty()) {
                out.add("- **" + Standing.runtime(runs.get(i)) + " " + variant + "**, " + letter(i) + " against "
                        + letter(j) + ": " + String.join("; ", parts) + ".");
            }
        }
        return out;
    }

    /** Another runtime of run {@code g} against its TensorFlow, over like cells. */
    private String runtimes(int g, Engine other, List<Runtimes.Pair> pairs) {
        Engine tf = Engine.DEFAULT;
        List<String> parts = new ArrayList<>();
        for (Runtimes.Measure m : Runtimes.Measure.values()) {
            List<Runtimes.Pair> of = pairs.stream().filter(p -> p.measure() == m).toList();
            if (!of.isEmpty()) {
                parts.add(m.label + " " + Phrases.against(Runtimes.title(tf), of.stream().map(Runtimes.Pair::ratio).toList(),
                        "cell") + verdicts(of.stream().map(p -> Interval.compare(Interval.of(given.get(g), p.tensorflow()),
                        Interval.of(given.get(g), p.other())).label).toList()));
            }
        }
        return "- **" + Runtimes.title(other) + " against " + Runtimes.title(tf) + "**, " + letterOf(g, other) + " against "
                + letterOf(g, tf) + ", cells of the same model, variant and threads: " + String.join("; ", parts) + ".";
    }

    /** The letter of run {@code g}'s part of a runtime. */
    private String letterOf(int g, Engine runtime) {
        for (int i = 0; i < runs.size(); i++) {
            if (origin.get(i) == g && runtime(runs.get(i)).equals(List.of(runtime))) {
                return letter(i);
            }
        }
        return "?";
    }

    /** {@code (2 beyond error, 1 within error)}, or {@code (indicative)} when no verdict is a conclusion. */
    private static String verdicts(List<String> verdicts) {
        Map<String, Long> counts = new LinkedHashMap<>();
        verdicts.stream().filter(v -> !v.isEmpty()).sorted().forEach(v -> counts.merge(v, 1L, Long::sum));
        if (counts.isEmpty()) {
            return "";
        }
        if (counts.size() == 1 && counts.containsKey(Interval.Verdict.INDICATIVE.label)) {
            return ", indicative";
        }
        return ", " + String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
    }

    /** The device a run's conditions name, after its label. */
    private static String device(Run run) {
        List<String> device = new ArrayList<>();
        for (String key : List.of("gpus", "cpu.model")) {
            String v = run.conditions().get(key);
            if (v != null && !v.isBlank()) {
                device.add(v);
            }
        }
        return device.isEmpty() ? "" : ": " + String.join(", ", device);
    }

    /** The tables of the given keys, one per (mode, metric), under what their columns mean. */
    private void results(StringBuilder out, List<Key> shown, boolean full) {
        out.append(full ? "\n## Results\n\n" : "\n## Headline figures\n\n").append("Ratio columns: *X/Y* = run X / run Y (")
                .append(baseline < 0 ? "each run against each earlier one; `--baseline` picks one run instead"
                        : "every run against the baseline " + letter(baseline))
                .append("); for times < 1 means X is faster. *X/Y verdict*: *beyond error* when X and Y differ by "
                        + "more than the sum of their 95% half-widths, each widened by its cell's measured core-speed "
                        + "spread (the machine's own speed moves between runs; *core speed not covered* where a run "
                        + "recorded none), *within error* when not, *indicative* when "
                        + "either interval is missing, wider than its figure or from fewer than " + Interval.MINIMUM_FORKS
                        + " forks; *not like* when the cells ran on different thread counts. The cold start's phases "
                        + "get no ratio across runtimes. A failed cell shows its status word in the headline tables ("
                        + String.join(", ", HEADLINE.stream().sorted(Order.listed(METRIC_ORDER)).toList())
                        + ") and the ratio column the change of status (`OK -> KILLED`); – marks a cell the run does "
                        + "not have.\n");
        if (full) {
            leftOut(out);
        }
        Map<String, List<Key>> tables = new LinkedHashMap<>();
        shown.forEach(k -> tables.computeIfAbsent(k.mode() + " · " + k.metric(), t -> new ArrayList<>()).add(k));
        tables.forEach((title, rows) -> {
            out.append("\n### ").append(title).append(unit(rows.get(0))).append("\n\n");
            out.append(table(rows).render());
        });
    }

    /** One line per (cell, metric, run), for machines: the columns of {@link #CSV_COLUMNS}. */
    public String csv() {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            p.printRecord(CSV_COLUMNS);
            int base = Math.max(0, baseline);
            for (Key k : keys) {
                Optional<ResultRow> first = find(runs.get(base), k);
                for (int i = 0; i < runs.size(); i++) {
                    Optional<ResultRow> row = find(runs.get(i), k);
                    p.printRecord(k.mode().label(), k.metric(), row.map(ResultRow::unit).orElse(""), k.cell().name(),
                            k.cell().variant().label(), k.cell().optimize().label(), byThreads ? k.cell().threads() : "",
                            letter(i), runs.get(i).label(),
                            row.filter(r -> r.status().ok()).map(r -> Double.toString(r.score())).orElse(""),
                            row.filter(r -> !Double.isNaN(r.error())).map(r -> Double.toString(r.error())).orElse(""),
                            row.map(r -> r.status().name()).orElse(""), row.map(ResultRow::pressure).orElse(""),
                            i == base ? "" : ratioOf(base, first, i, row).filter(Double::isFinite).map(Object::toString).orElse(""),
                            i == base ? "" : verdict(base, first, i, row));
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
        int textColumns = header.size();
        for (int i = 0; i < runs.size(); i++) {
            header.add(letter(i));
            for (int j : against(i)) {
                header.addAll(List.of(letter(i) + "/" + letter(j), letter(i) + "/" + letter(j) + " verdict"));
            }
        }
        Markdown table = new Markdown(header, textColumns);
        for (Key k : rows) {
            List<String> cells = new ArrayList<>(List.of(k.cell().name(), k.cell().variant().label(),
                    k.cell().optimize().label()));
            if (byThreads) {
                cells.add(Integer.toString(k.cell().threads()));
            }
            for (int i = 0; i < runs.size(); i++) {
                Optional<ResultRow> row = find(runs.get(i), k);
                cells.add(Report.cell(row));
                for (int j : against(i)) {
                    Optional<ResultRow> base = find(runs.get(j), k);
                    cells.add(ratio(j, base, i, row));
                    cells.add(verdict(j, base, i, row));
                }
            }
            table.row(cells);
        }
        return table;
    }

    /** The runs run {@code i} gets a ratio against: the baseline, or else every earlier run. */
    private List<Integer> against(int i) {
        if (baseline >= 0) {
            return i == baseline ? List.of() : List.of(baseline);
        }
        return java.util.stream.IntStream.range(0, i).boxed().toList();
    }

    /**
     * What the tables leave out: per run, the metrics only it has (by mode, a family of three or
     * more such as {@code mem.*} as one name), and the command that shows them, instead of a bare count.
     */
    private void leftOut(StringBuilder out) {
        Map<Integer, Map<Mode, Set<String>>> byRun = new java.util.TreeMap<>();
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        for (Key k : unmatched) {
            for (int i = 0; i < runs.size(); i++) {
                if (exact(runs.get(i), k).isPresent()) {
                    byRun.computeIfAbsent(i, x -> new java.util.TreeMap<>(Order.MODE))
                            .computeIfAbsent(k.mode(), m -> new TreeSet<>(Order.listed(METRIC_ORDER))).add(k.metric());
                    counts.merge(i, 1L, Long::sum);
                }
            }
        }
        if (byRun.isEmpty()) {
            return;
        }
        out.append("\nLeft out of the tables, as only one run has them (nothing to compare):\n");
        byRun.forEach((i, modes) -> {
            List<String> parts = new ArrayList<>();
            modes.forEach((mode, metrics) -> parts.add(mode + " " + String.join(", ", families(metrics))));
            out.append("- ").append(letter(i)).append(": ").append(counts.get(i)).append(" figure(s): ")
                    .append(String.join("; ", parts)).append(". `java -jar benchmarks.jar report ")
                    .append(runs.get(i).source()).append("` shows them\n");
        });
    }

    /** Metric names with each family of three or more ({@code mem.rss.peak}, {@code mem.majflt}, ...) as {@code mem.* (n)}. */
    private static List<String> families(Set<String> metrics) {
        Map<String, Long> family = new java.util.HashMap<>();
        metrics.forEach(m -> family.merge(m.contains(".") ? m.substring(0, m.indexOf('.')) : m, 1L, Long::sum));
        Set<String> out = new LinkedHashSet<>();
        for (String m : metrics) {
            String f = m.contains(".") ? m.substring(0, m.indexOf('.')) : m;
            out.add(m.contains(".") && family.get(f) >= 3 ? f + ".* (" + family.get(f) + ")" : m);
        }
        return List.copyOf(out);
    }

    /**
     * The row of the key's metric, or else, for a {@link #HEADLINE} metric, the failure row of its
     * cell (a failed cell has a single row).
     */
    private Optional<ResultRow> find(Run run, Key k) {
        return HEADLINE.contains(k.metric()) ? run.lookup(k.cell(), k.metric()) : exact(run, k);
    }

    /** The row of the key's metric itself, measured or failed. */
    private Optional<ResultRow> exact(Run run, Key k) {
        return run.find(k.cell(), k.metric());
    }

    /** The ratio cell of run {@code i}'s row to run {@code j}'s: a number, the change of status, or –. */
    private String ratio(int j, Optional<ResultRow> first, int i, Optional<ResultRow> other) {
        if (first.isEmpty() || other.isEmpty()) {
            return "–";
        }
        if (!bothOk(first, other)) {
            return first.get().status() + " -> " + other.get().status();
        }
        if (first.get().score() == 0 && other.get().score() == 0) {
            return "=";
        }
        return ratioOf(j, first, i, other).map(Markdown::ratio).orElse("–");
    }

    /**
     * Run {@code i}'s figure / run {@code j}'s, when both are measured and their ratio means
     * something: never a phase of the cold start across runtimes ({@link Runtimes#WHY}), and never
     * 0/0 (two figures of nothing are equal: 1).
     */
    private Optional<Double> ratioOf(int j, Optional<ResultRow> first, int i, Optional<ResultRow> other) {
        if (!bothOk(first, other) || acrossRuntimes(j, i) && PHASES.contains(first.get().metric())) {
            return Optional.empty();
        }
        double a = first.get().score();
        double b = other.get().score();
        return Optional.of(a == 0 && b == 0 ? 1.0 : b / a);
    }

    /**
     * What the ratio of run {@code i}'s row to run {@code j}'s may say: {@link Interval#compare}'s
     * verdict for like cells, or that the cells ran on different thread counts.
     */
    private String verdict(int j, Optional<ResultRow> first, int i, Optional<ResultRow> other) {
        if (ratioOf(j, first, i, other).isEmpty()) {
            return "";
        }
        int a = first.get().threads();
        int b = other.get().threads();
        if (a > 0 && b > 0 && a != b) {
            return "not like: " + a + " vs " + b + " threads";
        }
        return Interval.compareAcrossRuns(runs.get(j), first.get(), runs.get(i), other.get());
    }

    private boolean acrossRuntimes(int j, int i) {
        return !runtime(runs.get(j)).equals(runtime(runs.get(i)));
    }

    /** The runtime a run (or a runtime's part of one) measured; a run of several counts as their list. */
    private static List<Engine> runtime(Run run) {
        return Runtimes.of(run);
    }

    private static boolean bothOk(Optional<ResultRow> a, Optional<ResultRow> b) {
        return a.isPresent() && b.isPresent() && a.get().status().ok() && b.get().status().ok();
    }

    private String unit(Key k) {
        return runs.stream().flatMap(r -> find(r, k).stream()).filter(r -> r.status().ok() && !r.unit().isEmpty())
                .map(r -> " (" + r.unit() + ")").findFirst().orElse("");
    }

    /** The row's key on {@code threads}, or on any when the diff does not tell thread counts apart. */
    private Key key(ResultRow r, int threads) {
        return new Key(CellMatch.of(r.cell()).anyRuntime(byThreads ? threads : CellMatch.ANY), r.metric());
    }

    /** Run letters: A, B, ... Z, then A2, B2, ... */
    static String letter(int i) {
        return (char) ('A' + i % 26) + (i < 26 ? "" : Integer.toString(i / 26 + 1));
    }
}
