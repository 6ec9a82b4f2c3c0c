package slimbench.suite;

import java.nio.file.Path;
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

/**
 * The process the runner starts for one cell: it runs JMH (which forks the measuring JVMs) and
 * writes the cell's rows. The runner watches this process tree from outside: if anything here
 * hangs, crashes or is killed, the runner still records what happened.
 *
 * <p>Arguments: {@code OUT.csv key=value...}, the keys of {@link #args(Cell, SuiteOptions, Path)}.
 */
public final class CellMain {
    /** The latency percentiles each steady cell reports, as {@code p50}...: over all its measured inferences. */
    static final double[] PERCENTILES = {50, 90, 95, 99};

    private CellMain() {}

    public static void main(String[] argv) throws Exception {
        dieWithRunner();
        Path out = Path.of(argv[0]);
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 1; i < argv.length; i++) {
            int eq = argv[i].indexOf('=');
            a.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
        }
        Cell cell = new Cell(a.get("model"), a.get("variant"), a.get("optimize"),
                Integer.parseInt(a.get("threads")), a.get("mode"));
        boolean cold = cell.mode().equals(Cell.COLD);
        ChainedOptionsBuilder jmh = new OptionsBuilder()
                .include("^" + (cold ? ColdStart.class.getName() + ".loadAndInferOnce"
                        : SteadyState.class.getName() + ".infer") + "$")
                .param("model", a.get("zooModel"))
                .param("variant", cell.variant())
                .param("optimize", cell.optimize())
                .param("threads", Integer.toString(cell.threads()))
                .param("scale", a.get("scale"))
                .param("cache", a.get("cache"))
                .param("modelFile", a.get("modelFile"))
                .param("inputName", a.get("inputName"))
                .param("outputName", a.get("outputName"))
                .addProfiler(Breakdown.class)
                .shouldFailOnError(true)
                // Set, not appended: unset, JMH would give the forks this host JVM's small heap.
                .jvmArgs(forkJvmArgs(a.get("forkJvmArgs")));
        if (System.getProperty(CellProcess.JAVA) != null) {
            jmh.jvm(CellProcess.java());
        }
        if (Boolean.parseBoolean(a.get("probes"))) {
            jmh.addProfiler(slimbench.probe.MemoryProfiler.class);
        }
        if (cold) {
            jmh.forks(Integer.parseInt(a.get("coldForks"))).warmupIterations(0).measurementIterations(1);
        } else {
            TimeValue t = TimeValue.milliseconds(Long.parseLong(a.get("iterationMillis")));
            jmh.forks(Integer.parseInt(a.get("steadyForks")))
                    .warmupIterations(Integer.parseInt(a.get("warmups"))).warmupTime(t)
                    .measurementIterations(Integer.parseInt(a.get("iterations"))).measurementTime(t);
        }
        Path proc = Path.of("/proc");
        Optional<MachineLoad> before = MachineLoad.now(proc);
        Collection<RunResult> results = new Runner(jmh.build()).run();
        Optional<MachineLoad.Share> load = before.flatMap(b -> MachineLoad.now(proc)
                .map(after -> after.since(b, MachineLoad.loadAverage(proc))));
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

    /** The arguments that make {@link #main} run {@code cell} with {@code o}. */
    static List<String> args(Cell cell, SuiteOptions o, Path out) {
        List<String> a = new ArrayList<>();
        a.add(out.toString());
        a.add("model=" + cell.model());
        a.add("zooModel=" + (o.modelFile() == null ? cell.model() : "mobilenet_v1"));
        a.add("variant=" + cell.variant());
        a.add("optimize=" + cell.optimize());
        a.add("threads=" + cell.threads());
        a.add("mode=" + cell.mode());
        a.add("scale=" + o.scale());
        a.add("cache=" + o.cache());
        a.add("modelFile=" + (o.modelFile() == null ? "" : o.modelFile().toAbsolutePath()));
        a.add("inputName=" + o.inputName());
        a.add("outputName=" + o.outputName());
        a.add("coldForks=" + o.coldForks());
        a.add("steadyForks=" + o.steadyForks());
        a.add("warmups=" + o.warmups());
        a.add("iterations=" + o.iterations());
        a.add("iterationMillis=" + o.iterationTime().toMillis());
        a.add("forkJvmArgs=" + String.join(" ", o.forkJvmArgs()));
        a.add("probes=" + o.probes());
        return a;
    }

    /** JMH's results as rows: the primary score, then each secondary result under its metric name. */
    static List<ResultRow> rows(Cell cell, RunResult r) {
        Map<String, Result> metrics = new LinkedHashMap<>();
        metrics.put(cell.mode().equals(Cell.COLD) ? "total" : "avg", r.getPrimaryResult());
        LatencyResult latency = null;
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getValue() instanceof LatencyResult l) {
                latency = l;
            } else {
                metrics.put(metricName(e.getKey()), e.getValue());
            }
        }
        String pressure = MemoryProbe.verdict(metrics);
        List<ResultRow> rows = new ArrayList<>();
        metrics.forEach((name, result) -> rows.add(new ResultRow(cell.model(), cell.variant(), cell.optimize(),
                cell.threads(), cell.mode(), name, result.getScore(), finiteOrNaN(result.getScoreError()),
                unit(result.getScoreUnit()), result.getSampleCount(), Status.OK, "", pressure)));
        if (latency != null) {
            rows.addAll(1, latencyRows(cell, r.getPrimaryResult(), latency, pressure));
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
            out.add(l.disturbed() ? new ResultRow(r.model(), r.variant(), r.optimize(), r.threads(), r.mode(),
                    r.metric(), r.score(), r.error(), r.unit(), r.samples(), r.status(), r.message(),
                    r.pressure().isEmpty() ? "disturbed" : r.pressure() + "+disturbed") : r);
        }
        String pressure = out.get(0).pressure();
        out.add(row(cell, "load.others", l.othersCores(), Double.NaN, "cores", 1, pressure));
        out.add(row(cell, "load.avg", l.loadAverage(), Double.NaN, "", 1, pressure));
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
        rows.add(row(cell, "throughput", throughput, error, "inf/s", n, pressure));
        for (double p : PERCENTILES) {
            rows.add(row(cell, "p" + (int) p, latency.percentileMs(p), Double.NaN, "ms", n, pressure));
        }
        rows.add(row(cell, "max", latency.getStatistics().getMax(), Double.NaN, "ms", n, pressure));
        rows.add(row(cell, "inferences", n, Double.NaN, "#", n, pressure));
        return rows;
    }

    private static ResultRow row(Cell cell, String metric, double score, double error, String unit, long n,
                                 String pressure) {
        return new ResultRow(cell.model(), cell.variant(), cell.optimize(), cell.threads(), cell.mode(), metric,
                score, error, unit, n, Status.OK, "", pressure);
    }

    /** Breakdown's labels without their prefixes: {@code phase.read -> read}, {@code latency.p99 -> p99}. */
    static String metricName(String label) {
        if (label.startsWith("phase.")) {
            return label.substring("phase.".length());
        }
        if (label.startsWith("latency.")) {
            return label.substring("latency.".length());
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
    private static String[] forkJvmArgs(String s) {
        List<String> args = new ArrayList<>(s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+")));
        args.add("-D" + HostWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        return args.toArray(new String[0]);
    }
}
