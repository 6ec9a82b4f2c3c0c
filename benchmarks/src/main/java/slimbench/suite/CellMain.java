package slimbench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import slimbench.bench.Breakdown;
import slimbench.bench.ColdStart;
import slimbench.bench.HostWatch;
import slimbench.bench.LatencyResult;
import slimbench.probe.MachineLoad;
import slimbench.bench.SteadyState;
import slimbench.bench.ThreadChoice;
import slimbench.model.CellMetric;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.RecordCodec;
import slimbench.tensorrt.TensorRtCell;

/**
 * The process the runner starts for one cell: it runs JMH (which forks the measuring JVMs) and
 * writes the cell's rows. The runner watches this process tree from outside: if anything here
 * hangs, crashes or is killed, the runner still records what happened.
 *
 * <p>Arguments: {@code OUT.csv name=value...}: a {@link CellSpec} and its {@link Settings}, spelled by
 * {@link RecordCodec} (see {@link #args(CellSpec, SuiteOptions, Path)}).
 */
public final class CellMain {
    private CellMain() {}

    /**
     * What a cell's process needs beside its {@link CellSpec}: where models are cached, the node
     * names of a user's file, and how JMH measures. Crosses the process boundary by the same codec.
     *
     * @param forks the cold or steady fork count, whichever the cell's mode uses
     */
    public record Settings(Path cache, String inputName, String outputName, int forks, int warmups, int iterations,
                           Duration iterationTime, List<String> forkJvmArgs, boolean probes) {
        static Settings of(CellSpec spec, SuiteOptions o) {
            return new Settings(o.cache(), o.inputName(), o.outputName(),
                    spec.mode() == Mode.COLD ? o.coldForks() : o.steadyForks(), o.warmups(), o.iterations(),
                    o.iterationTime(), o.forkJvmArgs(), o.probes());
        }
    }

    public static void main(String[] argv) throws Exception {
        // An exception this process dies of starts a line of its own, where CellProcess.classify reads it.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> e.printStackTrace());
        dieWithRunner();
        Path out = Path.of(argv[0]);
        Map<String, String> a = RecordCodec.parseArguments(List.of(argv).subList(1, argv.length));
        CellSpec spec = RecordCodec.decode(CellSpec.class, a);
        Settings s = RecordCodec.decode(Settings.class, a);
        Cell cell = Cell.of(spec);
        boolean cold = spec.mode() == Mode.COLD;
        if (spec.runtime() == Engine.TENSORRT) { // timed by trtexec, not in a JMH fork: its figures as JMH's, the same rows
            Optional<MachineLoad> start = MachineLoad.now(Path.of("/proc"));
            TensorRtCell.Figures f = TensorRtCell.measure(spec, new TensorRtCell.Plan(s.cache(), s.forks(), s.warmups(),
                    s.iterations(), s.iterationTime(), out.toAbsolutePath().getParent(), cell.slug()));
            ResultsCsv.append(out, withLoad(cell, rows(cell, f.primary(), f.secondary()), loadSince(start)));
            return;
        }
        ChainedOptionsBuilder jmh = new OptionsBuilder()
                .include("^" + benchmark(spec) + "$")
                .param("cache", s.cache().toString())
                .param("inputName", s.inputName())
                .param("outputName", s.outputName())
                .addProfiler(Breakdown.class)
                .shouldFailOnError(true)
                // Set, not appended: unset, JMH would give the forks this host JVM's small heap.
                .jvmArgs(forkJvmArgs(s.forkJvmArgs()));
        // The cell's own parameters: ModelState has one @Param per component, named as the component;
        // a steady cell's threads are those it measured fastest within its budget.
        CellSpec run = spec;
        if (!cold && ThreadChoice.chooses(spec.threads())) {
            ThreadChoice.Choice c = ThreadChoice.choose(spec.threads(), t -> probe(spec, s, t));
            System.out.println(c.describe()); // into the cell's log
            run = spec.withMode(spec.mode(), c.threads());
        }
        RecordCodec.encode(run).forEach(jmh::param);
        if (System.getProperty(CellProcess.JAVA) != null) {
            jmh.jvm(CellProcess.java());
        }
        if (s.probes()) {
            jmh.addProfiler(slimbench.probe.MemoryProfiler.class);
        }
        if (cold) {
            jmh.forks(s.forks()).warmupIterations(0).measurementIterations(1);
        } else {
            TimeValue t = TimeValue.milliseconds(s.iterationTime().toMillis());
            jmh.forks(s.forks()).warmupIterations(s.warmups()).warmupTime(t)
                    .measurementIterations(s.iterations()).measurementTime(t);
        }
        Optional<MachineLoad> before = MachineLoad.now(Path.of("/proc"));
        Collection<RunResult> results = new Runner(jmh.build()).run();
        Optional<MachineLoad.Share> load = loadSince(before);
        List<ResultRow> rows = new ArrayList<>();
        for (RunResult r : results) {
            rows.addAll(withLoad(cell, rows(cell, r), load));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("JMH returned no result for " + cell);
        }
        JmhJson.write(jsonBeside(out), results);
        ResultsCsv.append(out, rows);
    }

    /**
     * The median of one thread count, timed in a JVM of its own started as JMH starts the forks
     * ({@link ThreadChoice}: two sessions in one process interfere).
     */
    static double probe(CellSpec spec, Settings s, int threads) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(CellProcess.java()));
        cmd.addAll(List.of(forkJvmArgs(s.forkJvmArgs())));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ThreadChoice.class.getName()));
        cmd.addAll(RecordCodec.arguments(spec));
        cmd.addAll(RecordCodec.arguments(s));
        cmd.add(ThreadChoice.PROBE_THREADS + "=" + threads);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out;
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            out = r.lines().toList();
        }
        try {
            int exit = p.waitFor();
            if (exit != 0) {
                throw new java.io.IOException("the thread probe at " + threads + " threads failed (exit " + exit + "): "
                        + String.join(" | ", out.subList(Math.max(0, out.size() - 3), out.size())));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while probing " + threads + " threads");
        }
        return ThreadChoice.parseMedian(out);
    }

    /** The JMH benchmark that measures a cell: its mode's (its engine is a parameter). */
    static String benchmark(CellSpec spec) {
        return spec.mode() == Mode.COLD ? ColdStart.class.getName() + ".loadAndInferOnce"
                : SteadyState.class.getName() + ".infer";
    }

    /** Where the cell writes its JMH JSON: beside its rows, {@code X.csv -> X.json}. */
    static Path jsonBeside(Path rows) {
        String name = rows.getFileName().toString();
        return rows.resolveSibling(name.replaceFirst("\\.csv$", "") + ".json");
    }

    /**
     * Ends this process and its JMH forks when the runner is gone, however it went (SIGKILL
     * included, which leaves no hook to run): only the runner holds the write end of this
     * process's stdin, so end-of-file there means it died. Without this the forks would run on
     * as orphans, holding JMH's lock against the resumed run.
     */
    private static void dieWithRunner() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the runner writes nothing; only the end matters
                }
            } catch (java.io.IOException e) {
                // a broken pipe is the runner's end too
            }
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(1);
        }, "slimbench-runner-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** The arguments that make {@link #main} run {@code spec} with {@code o}: the two records, by the codec. */
    static List<String> args(CellSpec spec, SuiteOptions o, Path out) {
        List<String> a = new ArrayList<>();
        a.add(out.toString());
        a.addAll(RecordCodec.arguments(spec));
        a.addAll(RecordCodec.arguments(Settings.of(spec, o)));
        return a;
    }

    /** The machine's load from {@code before} to now, as {@link #withLoad} records it. */
    private static Optional<MachineLoad.Share> loadSince(Optional<MachineLoad> before) {
        Path proc = Path.of("/proc");
        return before.flatMap(b -> MachineLoad.now(proc).map(after -> after.since(b, MachineLoad.loadAverage(proc))));
    }

    /** JMH's results as rows: the primary score, then each secondary result under its metric name. */
    static List<ResultRow> rows(Cell cell, RunResult r) {
        return rows(cell, r.getPrimaryResult(), r.getSecondaryResults());
    }

    /** A primary and secondary results as rows, JMH's or another engine's made as JMH's ({@code tensorrt}'s). */
    static List<ResultRow> rows(Cell cell, Result<?> primary, Map<String, ? extends Result> secondary) {
        Map<String, Result> metrics = new LinkedHashMap<>();
        metrics.put(CellMetric.primary(Mode.of(cell.mode())).label(), primary);
        LatencyResult latency = null;
        for (Map.Entry<String, ? extends Result> e : secondary.entrySet()) {
            if (e.getValue() instanceof LatencyResult l) {
                latency = l;
            } else {
                metrics.put(metricName(e.getKey()), e.getValue());
            }
        }
        String pressure = MemoryProbe.verdict(metrics);
        List<ResultRow> rows = new ArrayList<>();
        metrics.forEach((name, result) -> rows.add(new ResultRow(cell, name, result.getScore(), finiteOrNaN(result.getScoreError()),
                unit(result.getScoreUnit()), result.getSampleCount(), Status.OK, "", pressure)));
        if (latency != null) {
            rows.addAll(1, latencyRows(cell, primary, latency, pressure));
        }
        return rows;
    }

    /**
     * The machine's load during the cell as two rows ({@code load.others}: other processes' mean
     * use in cores; {@code load.avg}: the 1-minute load average at the end), and on a disturbed cell
     * every row's pressure gets {@code +disturbed} beside the memory verdict.
     */
    static List<ResultRow> withLoad(Cell cell, List<ResultRow> rows, Optional<MachineLoad.Share> load) {
        if (load.isEmpty() || rows.isEmpty()) {
            return rows;
        }
        MachineLoad.Share l = load.get();
        List<ResultRow> out = new ArrayList<>();
        for (ResultRow r : rows) {
            out.add(l.disturbed() ? r.withPressure(r.pressure().isEmpty() ? "disturbed" : r.pressure() + "+disturbed")
                    : r);
        }
        String pressure = out.get(0).pressure();
        out.add(row(cell, CellMetric.LOAD_OTHERS, l.othersCores(), Double.NaN, 1, pressure));
        out.add(row(cell, CellMetric.LOAD_AVG, l.loadAverage(), Double.NaN, 1, pressure));
        return out;
    }

    /**
     * Throughput beside the mean (inferences per second, its error carried to first order from the
     * mean's), then the percentiles over every measured inference of every iteration and fork.
     */
    static List<ResultRow> latencyRows(Cell cell, Result<?> mean, LatencyResult latency, String pressure) {
        List<ResultRow> rows = new ArrayList<>();
        long n = latency.getSampleCount();
        double avg = mean.getScore();
        double throughput = 1000 / avg;
        double error = finiteOrNaN(mean.getScoreError()) / avg * throughput;
        rows.add(row(cell, CellMetric.THROUGHPUT, throughput, error, n, pressure));
        for (CellMetric p : CellMetric.PERCENTILES) { // p50 is the 50th percentile
            double percentile = Double.parseDouble(p.label().substring(1));
            rows.add(row(cell, p, latency.percentileMs(percentile), Double.NaN, n, pressure));
        }
        rows.add(row(cell, CellMetric.MAX, latency.getStatistics().getMax(), Double.NaN, n, pressure));
        rows.add(row(cell, CellMetric.INFERENCES, n, Double.NaN, n, pressure));
        return rows;
    }

    private static ResultRow row(Cell cell, CellMetric metric, double score, double error, long n, String pressure) {
        return new ResultRow(cell, metric.label(), score, error, metric.unit(), n, Status.OK, "", pressure);
    }

    /** Breakdown's labels without their prefixes: {@code phase.read -> read}, {@code latency.p99 -> p99}. */
    static String metricName(String label) {
        if (label.startsWith(Breakdown.PHASE)) {
            return label.substring(Breakdown.PHASE.length());
        }
        if (label.startsWith(Breakdown.LATENCY)) {
            return label.substring(Breakdown.LATENCY.length());
        }
        return label;
    }

    private static String unit(String jmhUnit) {
        return jmhUnit.equals("ms/op") ? "ms" : jmhUnit;
    }

    private static double finiteOrNaN(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    /** The user's fork arguments, and this host's pid, whose death ends the forks ({@link HostWatch}). */
    private static String[] forkJvmArgs(List<String> user) {
        List<String> args = new ArrayList<>(user);
        args.add("-D" + HostWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        return args.toArray(new String[0]);
    }
}
