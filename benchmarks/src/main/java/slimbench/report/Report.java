package slimbench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import slimbench.model.AtomicFile;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.probe.Metric;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Trackers;

/**
 * The report of one run in the 2019 experiment's layout: a short head (its cells, where it ran, what
 * the marks mean), two charts with every runtime on one scale (cold start, steady state), then per
 * runtime the model file sizes, cold start per optimisation mode and steady state, the variants side
 * by side with their speed-up over fp32, failures as their status words and the memory verdict
 * marked; the runtimes side by side ({@link Runtimes}); the run conditions once, at the end.
 */
public final class Report {
    public static final String REPORT_FILE = "report.md";
    public static final String COLD_CHART = "cold-start.png";
    public static final String STEADY_CHART = "steady-state.png";

    /** The conditions the head shows, in this order; others follow by name. cpu.flags is too long to show. */
    static final List<String> CONDITION_ORDER = List.of("source", "host", "cpu.model", "cores", "memory.total",
            "os", "glibc", "jvm", "tf.version", "tf.native", "tensorrt", "gpus", "threads", "governor", "machine.core_speed", "machine.core_speed.end",
            "jetson.model", "jetson.l4t", "jetson.jetpack", "jetson.cells", "jetson.power.mode");
    private static final Variant BASELINE = Variant.FP32;

    /**
     * One part of the report. {@code speedUp}: ratio fp32/variant (times), else variant/fp32;
     * {@code ratioLabel} names that ratio's columns.
     */
    private record Section(Mode mode, String metric, String unit, String title, String intro, boolean speedUp,
                           String ratioLabel) {
        Section(Mode mode, CellMetric metric, String title, String intro, boolean speedUp) {
            this(mode, metric, title, intro, speedUp, speedUp ? "speed-up" : "size ×");
        }

        Section(Mode mode, CellMetric metric, String title, String intro, boolean speedUp, String ratioLabel) {
            this(mode, metric.label(), metric.unit(), title, intro, speedUp, ratioLabel);
        }

        Section(Mode mode, Metric metric, String title, String intro, boolean speedUp, String ratioLabel) {
            this(mode, metric.label(), metric.unit(), title, intro, speedUp, ratioLabel);
        }
    }

    private static final Section FILE = new Section(Mode.FILE, CellMetric.FILE_SIZE, "Model file size",
            "The exported model file. *size ×* = variant / fp32.", false);
    private static final Section COLD_TOTAL = new Section(Mode.COLD, CellMetric.TOTAL, "Cold start: load and first inference",
            "What a user waits for in a fresh JVM: read the file, import the graph, make the session, run once. "
                    + "*speed-up* = fp32 time / variant time.", true);
    private static final Section COLD_MEMORY = new Section(Mode.COLD, Metric.RSS_PEAK, "Cold start: peak resident memory",
            "Peak resident memory of the process from the file to the first answer, {runtime}'s native memory "
                    + "included. *memory ×* = variant / fp32.", false, "memory ×");
    private static final Section COLD_OVER_MODEL = new Section(Mode.COLD, CellMetric.MEM_OVER_MODEL,
            "Cold start: memory per byte of model",
            "(Peak resident memory - the same fork's baseline with {runtime} loaded and run once on an empty graph) / the "
                    + "model's bytes on disk: how many copies of its weights loading makes. *× fp32* = variant / fp32.",
            false, "× fp32");
    private static final Section THROUGHPUT = new Section(Mode.STEADY, CellMetric.THROUGHPUT, "Steady state: throughput",
            "Inferences per second, 1000 / the mean time (one inference at a time), ± the mean's error carried over. "
                    + "*× fp32* = variant / fp32, > 1 is faster.", false, "× fp32");
    /** The latency percentiles each steady cell reports, over all its measured inferences. */
    static final List<String> PERCENTILE_METRICS = java.util.stream.Stream.concat(CellMetric.PERCENTILES.stream(),
            java.util.stream.Stream.of(CellMetric.MAX)).map(CellMetric::label).toList();
    private static final Section ROOFLINE = new Section(Mode.STEADY, CellMetric.GFLOPS, "Steady state: useful work rate",
            "2 x the model's MACs per inference / mean time; the run's conditions give the measured MatMul peak "
                    + "of each precision (`roofline.*`). *× fp32* = variant / fp32, > 1 is faster.", false, "× fp32");
    private static final Section COLD = new Section(Mode.COLD, CellMetric.FIRST_INFERENCE, "Cold start: first inference",
            "The first inference after the model is loaded, in a fresh JVM: the figure comparable with the "
                    + "2019 experiment. *speed-up* = fp32 time / variant time, > 1 is faster. With optimize "
                    + "`at-load` the graph's optimisation (TensorFlow's rewrites, TensorRT engines) happens in this first "
                    + "run; with `ahead` it was done when the model was exported. ONNX Runtime optimises while making "
                    + "the session: compare runtimes by the total below.", true);
    private static final Section STEADY = new Section(Mode.STEADY, CellMetric.AVG, "Steady state: mean inference time",
            "Mean time of one inference after warm-up, ± the half-width of its 95% interval over forks. "
                    + "*speed-up* = fp32 time / variant time, > 1 is faster.", true);

    private static final Section STEADY_ENERGY = new Section(Mode.STEADY, Metric.ENERGY_PER_INFERENCE,
            "Steady state: energy per inference",
            "The whole device's mean power during the measured iterations × the mean inference time, from the "
                    + "rails named by `power.total` in the conditions. *× fp32* = variant / fp32, < 1 costs less.",
            false, "× fp32");
    private static final Section STEADY_ENERGY_ABOVE_IDLE = new Section(Mode.STEADY,
            Metric.ENERGY_PER_INFERENCE_ABOVE_IDLE, "Steady state: energy per inference above idle",
            "As above, less the same rails' idle power measured just before the cell: what running the model adds. "
                    + "*× fp32* = variant / fp32.", false, "× fp32");
    private static final Section COLD_ENERGY = new Section(Mode.COLD, Metric.ENERGY_SHOT,
            "Cold start: energy of the shot",
            "The whole device's mean power from the model file to the first answer × the shot's time. "
                    + "*× fp32* = variant / fp32.", false, "× fp32");

    private final Run run;

    public Report(Run run) {
        this.run = run;
    }

    /**
     * Writes {@code report.md} and the charts into {@code dir}, each atomically, and returns the files
     * written. Several runs (a reference file's machines) share one report.md, one part per run, and
     * their charts are named after the run: {@code cold-start-gtx1070.png}.
     */
    public static List<Path> write(List<Run> runs, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        for (Run whole : runs) {
            String suffix = runs.size() == 1 ? "" : "-" + whole.label().substring(whole.label().lastIndexOf('/') + 1);
            String cold = chart(whole, coldChart(whole), dir.resolve(withSuffix(COLD_CHART, suffix)), written);
            String steady = chart(whole, STEADY, dir.resolve(withSuffix(STEADY_CHART, suffix)), written);
            if (md.length() > 0) {
                md.append("\n---\n\n");
            }
            md.append(new Report(whole).markdown(cold, steady));
        }
        Path file = dir.resolve(REPORT_FILE);
        AtomicFile.write(file, md.toString());
        written.add(0, file);
        if (runs.size() == 1 && !ReferenceCsv.isReference(runs.get(0))) {
            written.addAll(Trackers.write(runs.get(0).rows(), dir)); // as the run wrote them, from its results
        }
        return written;
    }

    /**
     * The Markdown text of the run: its head and charts, a part per runtime, the runtimes side by
     * side and the run conditions; the chart arguments are file names to link, or null when there is no chart.
     */
    public String markdown(String coldChart, String steadyChart) {
        StringBuilder out = new StringBuilder();
        head(out);
        out.append(Interval.legend(run.conditions()));
        if (coldChart != null || steadyChart != null) {
            out.append("\n## At a glance\n\n").append(Runtimes.of(run).size() > 1
                    ? "Every runtime on one scale; the tables below give each figure.\n" : "The tables below give each figure.\n");
            if (coldChart != null) {
                out.append("\n![").append(coldChart(run).title()).append("](").append(coldChart).append(")\n");
            }
            if (steadyChart != null) {
                out.append("\n![").append(STEADY.title()).append("](").append(steadyChart).append(")\n");
            }
        }
        List<Engine> runtimes = Runtimes.of(run);
        for (Engine runtime : runtimes) {
            Report part = runtimes.size() == 1 ? this : new Report(run.ofRuntime(runtime));
            if (runtimes.size() > 1) {
                out.append("\n# ").append(Runtimes.title(runtime)).append("\n");
            }
            part.sections(out, Runtimes.title(runtime));
        }
        out.append(Runtimes.sideBySide(run));
        conditions(out);
        return out.toString();
    }

    /** One runtime's sections, in the experiment's order. */
    private void sections(StringBuilder out, String runtime) {
        section(out, FILE, runtime);
        section(out, COLD, runtime);
        section(out, COLD_TOTAL, runtime);
        section(out, COLD_MEMORY, runtime);
        section(out, COLD_OVER_MODEL, runtime);
        optionalSection(out, COLD_ENERGY, runtime);
        section(out, STEADY, runtime);
        section(out, THROUGHPUT, runtime);
        percentiles(out);
        optionalSection(out, STEADY_ENERGY, runtime);
        optionalSection(out, STEADY_ENERGY_ABOVE_IDLE, runtime);
        section(out, ROOFLINE, runtime);
    }

    /** The cold start's chart: the total where the run measured it (every runtime alike), else the first inference. */
    private static Section coldChart(Run run) {
        return run.rows().stream().anyMatch(r -> r.mode() == COLD_TOTAL.mode() && r.metric().equals(COLD_TOTAL.metric())
                && r.status().ok()) ? COLD_TOTAL : COLD;
    }

    private void head(StringBuilder out) {
        out.append("# SlimBench report: ").append(run.label()).append("\n\n");
        // A cell is a measured (model, variant, optimize, threads, mode, runtime); a file size is none.
        List<ResultRow> cells = run.rows().stream().filter(r -> r.mode() != Mode.FILE).toList();
        long count = cells.stream().map(ResultRow::key).distinct().count();
        Map<String, Long> failed = new TreeMap<>();
        cells.stream().filter(r -> !r.status().ok()).map(r -> r.key() + "\n" + r.status().name()).distinct()
                .forEach(k -> failed.merge(k.substring(k.indexOf('\n') + 1), 1L, Long::sum));
        out.append("From `").append(run.source()).append("`: ").append(count).append(count == 1 ? " cell" : " cells");
        List<Engine> runtimes = Runtimes.of(run);
        if (runtimes.size() > 1) {
            out.append(" (").append(String.join(", ", runtimes.stream().map(rt -> cells.stream()
                    .filter(r -> r.runtime().equals(rt)).map(ResultRow::key).distinct().count() + " " + Runtimes.title(rt))
                    .toList())).append(")");
        }
        if (failed.isEmpty()) {
            out.append(", none failed.\n");
        } else {
            out.append(", ").append(failed.values().stream().mapToLong(Long::longValue).sum()).append(" failed (");
            out.append(String.join(", ", failed.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()));
            out.append(").\n");
        }
        String where = ranOn(run.conditions());
        out.append(where.isEmpty() ? "" : "\nRan on " + where + "; the run conditions are listed at the end.\n");
        for (String note : run.notes()) {
            out.append("\n**Partial run:** ").append(note).append("; the tables show every cell recorded before.\n");
        }
        out.append("\nA failed cell shows its status in bold (OOM, KILLED, TIMEOUT, ERROR, UNSUPPORTED, ...); "
                + "a cell the run did not reach shows –. The memory verdict is marked after the figure: "
                + "*swap* (the system swapped during the cell) or *low-memory* (free memory ran low); "
                + "unmarked cells had no memory pressure. *disturbed*: over the cell's measured iterations other processes "
                + "used more than 10% of the machine (cores x time), or one core's speed moved by more than 10%, so its "
                + "figures describe a shared or unsteady machine. *drift*: the measured iterations trend (a first one "
                + "more than 10% off the rest, or a steady climb or fall).\n");
    }

    /** The machine and software in a few words, from the conditions it recorded. */
    static String ranOn(Map<String, String> c) {
        List<String> parts = new ArrayList<>();
        for (String[] kv : new String[][] {{"cpu.model", ""}, {"gpus", ""}, {"cpu.cores.logical", " logical cores"},
            {"mem.total", " memory"}, {"tf.version", "TensorFlow "}, {"ort.version", "ONNX Runtime "},
            {"suite.preset", "preset "}, {"suite.scale", "scale "}}) {
            String v = c.get(kv[0]);
            if (v != null && !v.isBlank()) {
                parts.add(kv[1].startsWith(" ") ? v + kv[1] : kv[1] + v);
            }
        }
        return String.join(", ", parts);
    }

    /** The run conditions, once, at the end: what the figures above were measured under. */
    private void conditions(StringBuilder out) {
        Markdown conditions = new Markdown(List.of("condition", "value"), 2);
        orderedConditions(run.conditions()).forEach((k, v) -> conditions.row(List.of(k, v)));
        out.append("\n## Run conditions\n\n");
        out.append(conditions.isEmpty() ? "No run conditions were recorded (no conditions.csv beside the results).\n"
                : conditions.render());
    }

    /** One line per steady cell: its nearest-rank latency percentiles over every measured inference. */
    private void percentiles(StringBuilder out) {
        List<ResultRow> cells = run.rows().stream()
                .filter(r -> r.mode() == Mode.STEADY && r.metric().equals(CellMetric.AVG.label()) && r.status().ok())
                .sorted(Comparator.comparing(ResultRow::optimize)
                        .thenComparing(ResultRow::name, Order.MODEL).thenComparing(ResultRow::variant)
                        .thenComparingInt(ResultRow::threads))
                .toList();
        out.append("\n## Steady state: latency percentiles (ms)\n\n").append("Nearest-rank percentiles over every "
                + "measured inference of every iteration and fork (*inferences* says how many), not a mean of "
                + "per-iteration figures; *used* is the intra-op threads the cell chose within its *threads* "
                + "(the mean over forks).\n");
        List<ResultRow> measured = cells.stream().filter(c -> run.lookup(CellMatch.of(c.cell()), CellMetric.P50.label())
                .isPresent()).toList();
        if (measured.isEmpty()) {
            out.append("\nNo steady cell recorded percentiles.\n");
            return;
        }
        List<String> header = new ArrayList<>(List.of("model", "variant", "optimize", "threads", "used", "inferences"));
        header.addAll(PERCENTILE_METRICS);
        Markdown table = new Markdown(header, 6);
        for (ResultRow c : measured) {
            List<String> line = new ArrayList<>(List.of(c.name(), c.variant().label(), c.optimize().label(),
                    Integer.toString(c.threads())));
            for (CellMetric m : List.of(CellMetric.THREADS_USED, CellMetric.INFERENCES)) {
                line.add(run.lookup(CellMatch.of(c.cell()), m.label())
                        .map(r -> String.format(java.util.Locale.ROOT, r.score() % 1 == 0 ? "%.0f" : "%.1f", r.score()))
                        .orElse("–"));
            }
            for (String m : PERCENTILE_METRICS) {
                line.add(cell(run.lookup(CellMatch.of(c.cell()), m)));
            }
            table.row(line);
        }
        out.append('\n').append(table.render());
    }

    /** Known conditions in their usual order, then the rest by name; cpu.flags left out. */
    static Map<String, String> orderedConditions(Map<String, String> conditions) {
        Map<String, String> out = new LinkedHashMap<>();
        CONDITION_ORDER.stream().filter(conditions::containsKey).forEach(k -> out.put(k, conditions.get(k)));
        new TreeMap<>(conditions).forEach((k, v) -> {
            if (!k.equals("cpu.flags")) {
                out.putIfAbsent(k, v);
            }
        });
        return out;
    }

    /** A section only for runs that measured its metric: a machine without power sensors has no energy. */
    private void optionalSection(StringBuilder out, Section s, String runtime) {
        if (run.rows().stream().anyMatch(r -> r.mode() == s.mode() && r.metric().equals(s.metric()))) {
            section(out, s, runtime);
        }
    }

    private void section(StringBuilder out, Section s, String runtime) {
        List<Optimize> optimizes = run.rows().stream().filter(r -> r.mode() == s.mode()
                        && (r.metric().equals(s.metric()) || !r.status().ok()))
                .map(ResultRow::optimize).distinct().sorted().toList();
        out.append("\n## ").append(s.title()).append(" (").append(s.unit()).append(")\n\n")
                .append(s.intro().replace("{runtime}", runtime)).append('\n');
        if (optimizes.isEmpty()) {
            out.append("\nNo cells of this kind were recorded.\n");
            return;
        }
        for (Optimize optimize : optimizes) {
            if (s.mode() != Mode.FILE || optimizes.size() > 1) {
                out.append("\n### optimize ").append(optimize).append("\n");
            }
            out.append('\n').append(table(s, optimize).render());
            out.append(Interval.note(sectionRows(s, optimize)));
        }
    }

    /** Models as rows, the variants side by side, then one speed-up (or size) column per variant. */
    Markdown table(Section s, Optimize optimize) {
        List<ResultRow> rows = run.rows().stream()
                .filter(r -> r.mode() == s.mode() && r.optimize() == optimize).toList();
        List<Variant> variants = rows.stream().map(ResultRow::variant).distinct().sorted().toList();
        List<ResultRow> lines = lines(rows);
        boolean threads = lines.stream().map(ResultRow::threads).distinct().count() > 1;
        boolean ratios = variants.contains(BASELINE);

        List<String> header = new ArrayList<>(List.of("model"));
        if (threads) {
            header.add("threads");
        }
        variants.forEach(v -> header.add(v.label()));
        List<Variant> compared = variants.stream().filter(v -> ratios && v != BASELINE).toList();
        compared.forEach(v -> header.add(v + " " + s.ratioLabel()));
        Markdown table = new Markdown(header, threads ? 2 : 1);
        for (ResultRow line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.name()));
            if (threads) {
                cells.add(Integer.toString(line.threads()));
            }
            Map<Variant, Optional<ResultRow>> byVariant = new LinkedHashMap<>();
            for (Variant v : variants) {
                Optional<ResultRow> r = run.lookup(CellMatch.of(line, v, optimize, s.mode()), s.metric());
                byVariant.put(v, r);
                cells.add(figure(r, s, optimize));
            }
            for (Variant v : compared) {
                cells.add(ratio(byVariant.get(BASELINE), byVariant.get(v), s.speedUp()));
            }
            table.row(cells);
        }
        return table;
    }

    /** One row of a table per (model, threads), in the experiment's model order. */
    private static List<ResultRow> lines(List<ResultRow> rows) {
        Map<CellMatch, ResultRow> first = new LinkedHashMap<>();
        rows.forEach(r -> first.putIfAbsent(CellMatch.of(r, BASELINE, r.optimize(), r.mode()), r)); // its variants' cell
        return first.values().stream().sorted(Comparator.comparing(ResultRow::name, Order.MODEL)
                .thenComparingInt(ResultRow::threads)).toList();
    }

    /** A figure with its error bar and memory mark, or the failure's status word, or – when not reached. */
    static String cell(Optional<ResultRow> row) {
        if (row.isEmpty()) {
            return "–";
        }
        ResultRow r = row.get();
        if (!r.status().ok()) {
            return "**" + r.status() + "**" + pressure(r);
        }
        String text = Markdown.number(r.score());
        if (!Double.isNaN(r.error())) {
            text += " ± " + Markdown.number(r.error());
        }
        return text + pressure(r);
    }

    private static String pressure(ResultRow r) {
        String p = r.pressure() == null ? "" : r.pressure().strip().replace("none+", "").replace("+", ", ");
        return p.isEmpty() || p.equals("none") ? "" : " *" + p + "*";
    }

    private String ratio(Optional<ResultRow> base, Optional<ResultRow> other, boolean speedUp) {
        if (base.isEmpty() || other.isEmpty() || !base.get().status().ok() || !other.get().status().ok()) {
            return "–";
        }
        double b = base.get().score();
        double o = other.get().score();
        return Markdown.ratio(speedUp ? b / o : o / b) + "×"
                + Interval.compare(Interval.of(run, base.get()), Interval.of(run, other.get())).mark();
    }

    /**
     * A figure of a section's table, marked {@code *indicative*} when its interval is missing or
     * wider than itself; in a table where no figure has an interval, {@link Interval#note} says so once.
     */
    private String figure(Optional<ResultRow> row, Section s, Optimize optimize) {
        boolean noted = Interval.noneHasOne(sectionRows(s, optimize));
        return cell(row) + (row.isPresent() && !noted ? Interval.mark(Interval.of(run, row.get())) : "");
    }

    private List<ResultRow> sectionRows(Section s, Optimize optimize) {
        return run.rows().stream().filter(r -> r.mode() == s.mode() && r.metric().equals(s.metric())
                && r.optimize() == optimize).toList();
    }

    /**
     * Draws the chart of a section over every runtime of the run, if it has any figure; returns its
     * file name, or null. A series is a runtime and variant (and optimize, where the run has both).
     */
    private static String chart(Run run, Section s, Path png, List<Path> written) throws IOException {
        List<ResultRow> measured = run.rows().stream().filter(r -> r.mode() == s.mode()
                && r.metric().equals(s.metric()) && r.status().ok() && r.score() > 0)
                .sorted(Comparator.comparing((ResultRow r) -> Runtimes.of(run).indexOf(r.runtime()))
                        .thenComparing(ResultRow::variant)
                        .thenComparing(ResultRow::optimize)
                        .thenComparing(ResultRow::name, Order.MODEL).thenComparingInt(ResultRow::threads))
                .toList();
        if (measured.isEmpty()) {
            return null;
        }
        boolean byRuntime = measured.stream().map(ResultRow::runtime).distinct().count() > 1;
        boolean byOptimize = measured.stream().map(ResultRow::optimize).distinct().count() > 1;
        boolean byThreads = measured.stream().map(ResultRow::threads).distinct().count() > 1;
        Map<String, Map<String, Charts.Bar>> series = new LinkedHashMap<>();
        for (ResultRow r : measured) {
            String name = (byRuntime ? Runtimes.title(r.runtime()) + " " : "") + r.variant()
                    + (byOptimize ? " " + r.optimize() : "");
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(r.name() + (byThreads ? " ×" + r.threads() : ""),
                    new Charts.Bar(r.score(), r.error(), Interval.indicative(Interval.of(run, r))));
        }
        // Every model the section has a row for, so a model whose cells all failed shows as a gap.
        List<String> categories = lines(run.rows().stream().filter(r -> r.mode() == s.mode()).toList()).stream()
                .map(r -> r.name() + (byThreads ? " ×" + r.threads() : "")).distinct().toList();
        String axis = s.metric().equals(CellMetric.AVG.label()) ? "mean inference time (ms)"
                : s.metric().equals(CellMetric.TOTAL.label()) ? "load and first inference (ms)" : "first inference (ms)";
        Charts.bars(s.title() + " — " + run.label(), axis, categories, series, png);
        written.add(png);
        return png.getFileName().toString();
    }

    private static String withSuffix(String file, String suffix) {
        int dot = file.lastIndexOf('.');
        return file.substring(0, dot) + suffix + file.substring(dot);
    }
}
