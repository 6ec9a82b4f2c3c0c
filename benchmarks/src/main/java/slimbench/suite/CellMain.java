package slimbench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import slimbench.bench.Breakdown;
import slimbench.bench.ColdStart;
import slimbench.bench.HostWatch;
import slimbench.probe.MachineLoad;
import slimbench.bench.SteadyState;
import slimbench.bench.ThreadChoice;
import slimbench.model.CellMetric;
import slimbench.model.CellSpec;
import slimbench.engine.Engines;
import slimbench.engine.SelfTimed;
import slimbench.model.FileCachePolicy;
import slimbench.model.Mode;
import slimbench.model.RecordCodec;

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
     * @param forks  the cold or steady fork count, whichever the cell's mode uses: the first forks,
     *               or all of them with {@code fixedForks}
     * @param budget how long the cell may add forks for ({@link Measured})
     */
    public record Settings(Path cache, String inputName, String outputName, int forks, int warmups, int iterations,
                           Duration iterationTime, List<String> forkJvmArgs, boolean probes, FileCachePolicy fileCache,
                           boolean fixedForks, double target, Duration budget, boolean chooseThreads) {
        static Settings of(CellSpec spec, SuiteOptions o) {
            return new Settings(o.cache(), o.inputName(), o.outputName(),
                    spec.mode() == Mode.COLD ? o.coldForks() : o.steadyForks(), o.warmups(), o.iterations(),
                    o.iterationTime(), o.forkJvmArgs(), o.probes(), o.fileCache(), o.fixedForks(), o.target(),
                    o.budgetOf(spec), o.chooseThreads());
        }
    }

    /**
     * Runs the cell; when it fails, says how through the codec in {@link #outcomeBeside} its rows
     * file (the runner reads that, not the log), and exits 1.
     */
    public static void main(String[] argv) throws Exception {
        // An exception another thread dies of still reaches the cell's log, for a reader.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> e.printStackTrace());
        dieWithRunner();
        Path out = Path.of(argv[0]);
        try {
            run(out, argv);
        } catch (Throwable t) {
            t.printStackTrace(); // into the cell's log
            RecordCodec.write(outcomeBeside(out), CellProcess.Outcome.of(t));
            System.exit(1);
        }
    }

    /** Where a failed cell writes its {@link CellProcess.Outcome}: beside its rows, {@code X.csv -> X.outcome}. */
    static Path outcomeBeside(Path rows) {
        return rows.resolveSibling(rows.getFileName().toString().replaceFirst("\\.csv$", "") + ".outcome");
    }

    private static void run(Path out, String[] argv) throws Exception {
        Map<String, String> a = RecordCodec.parseArguments(List.of(argv).subList(1, argv.length));
        CellSpec spec = RecordCodec.decode(CellSpec.class, a);
        Settings s = RecordCodec.decode(Settings.class, a);
        Cell cell = Cell.of(spec);
        boolean cold = spec.mode() == Mode.COLD;
        Optional<SelfTimed> tool = Engines.of(spec.runtime()).selfTimed();
        if (tool.isPresent()) { // timed by its own tool, not in a JMH fork: its figures as JMH's, the same rows
            Optional<MachineLoad> start = MachineLoad.now(Path.of("/proc"));
            SelfTimed.Figures f = tool.get().measure(spec, new SelfTimed.Plan(s.cache(), s.forks(), s.warmups(),
                    s.iterations(), s.iterationTime(), out.toAbsolutePath().getParent(), cell.slug()));
            Optional<MachineLoad.Share> load = start.flatMap(b -> MachineLoad.now(Path.of("/proc"))
                    .map(e -> e.since(b, MachineLoad.loadAverage(Path.of("/proc")))));
            ResultsCsv.append(out, Rows.of(cell, f.primary(), f.secondary(), f.perFork(), load));
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
        Optional<ThreadChoice.Choice> choice = Optional.empty();
        if (!cold && s.chooseThreads() && ThreadChoice.chooses(spec.threads())) {
            ThreadChoice.Choice c = ThreadChoice.choose(spec.threads(), t -> probe(spec, s, t));
            System.out.println(c.describe()); // into the cell's log
            run = spec.withMode(spec.mode(), c.threads());
            cell = cell.ranOn(c.threads());
            choice = Optional.of(c);
        }
        RecordCodec.encode(run).forEach(jmh::param);
        jmh.param("threadsBudget", Integer.toString(spec.threads()));
        if (System.getProperty(slimbench.bench.ChildJvm.JAVA) != null) {
            jmh.jvm(slimbench.bench.ChildJvm.java());
        }
        if (s.probes()) {
            jmh.addProfiler(slimbench.probe.MemoryProfiler.class);
        }
        if (cold) {
            jmh.param("fileCache", s.fileCache().label());
            jmh.warmupIterations(0).measurementIterations(1);
        } else {
            TimeValue t = TimeValue.milliseconds(s.iterationTime().toMillis());
            jmh.warmupIterations(s.warmups()).warmupTime(t).measurementIterations(s.iterations()).measurementTime(t);
        }
        Measured measured = Measured.run(jmh, s);
        List<RunResult> results = List.of(measured.result());
        List<ResultRow> rows = Rows.of(cell, measured, choice);
        if (cold) {
            rows = Rows.withFileCache(rows, s.fileCache());
        }
        JmhJson.write(jsonBeside(out), results);
        ResultsCsv.append(out, rows);
    }

    /**
     * The median of one thread count, timed in a JVM of its own started as JMH starts the forks
     * ({@link ThreadChoice}: two sessions in one process interfere).
     */
    static double probe(CellSpec spec, Settings s, int threads) throws java.io.IOException {
        Path answer = java.nio.file.Files.createTempFile("slimbench-probe", ".answer");
        List<String> cmd = slimbench.bench.ChildJvm.command(List.of(forkJvmArgs(s.forkJvmArgs())), ThreadChoice.class);
        cmd.addAll(RecordCodec.arguments(spec));
        cmd.addAll(RecordCodec.arguments(s));
        cmd.add(ThreadChoice.PROBE_THREADS + "=" + threads);
        cmd.add(ThreadChoice.ANSWER + "=" + answer);
        // Its output joins this cell's log; what it found comes back only as its Answer.
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        try {
            int exit = p.waitFor();
            if (exit != 0 || java.nio.file.Files.size(answer) == 0) {
                throw new java.io.IOException("the thread probe at " + threads + " threads exited with code " + exit
                        + " without answering (its output is in the cell's log)");
            }
            ThreadChoice.Answer a = RecordCodec.read(answer, ThreadChoice.Answer.class);
            if (!a.unsupported().isEmpty()) {
                throw new UnsupportedOperationException(a.unsupported());
            }
            if (!a.error().isEmpty()) {
                throw new java.io.IOException("the thread probe at " + threads + " threads failed: " + a.error());
            }
            return a.medianMs();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while probing " + threads + " threads");
        } finally {
            java.nio.file.Files.deleteIfExists(answer);
        }
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

    /** The user's fork arguments, this host's pid (its death ends the forks: {@link HostWatch}), and how children start. */
    private static String[] forkJvmArgs(List<String> user) {
        List<String> args = new ArrayList<>(user);
        args.add("-D" + HostWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        args.addAll(slimbench.bench.ChildJvm.inherited()); // a fork starts its own children (the reference) alike
        return args.toArray(new String[0]);
    }
}
