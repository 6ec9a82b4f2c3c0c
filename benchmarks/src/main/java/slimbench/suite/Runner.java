package slimbench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import slimbench.model.CellMetric;
import slimbench.model.CellSpec;
import slimbench.model.Generator;
import slimbench.model.Mode;
import slimbench.model.Precision;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.natives.NativeLoad;
import slimbench.probe.CoreSpeed;

/**
 * Walks the model x variant x mode matrix cell by cell. Each cell runs in its own process tree
 * under a watchdog; its rows, or one row saying how it failed, are appended to the results CSV as
 * soon as it ends, so an interrupted run keeps every completed cell and {@code --resume} runs only
 * the rest.
 */
public final class Runner {
    private final SuiteOptions options;
    private final PrintStream out;
    private final MemoryCeiling ceiling;
    private final DerivedMetrics derived;
    private Optional<String> nativeProblem = Optional.empty();
    /** Peaks a resume has already said differ from the run's first. */
    private final Set<String> noted = new HashSet<>();
    private boolean waitForJmh = true;

    public Runner(SuiteOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.ceiling = MemoryCeiling.of(options.memoryLimit());
        this.derived = new DerivedMetrics(options.scale());
    }

    /** Whether a run that finds JMH's lock held waits for it (the default) or stops before anything runs. */
    public Runner waitForJmh(boolean wait) {
        this.waitForJmh = wait;
        return this;
    }

    /**
     * Runs the suite and returns the run directory (holding results.csv, conditions.csv, logs/).
     * A resume with no cell left to run only says so; any other run first takes JMH's lock ({@link
     * JmhLock}) for all its cells.
     */
    public Path run() throws IOException, InterruptedException {
        Path resume = options.resume();
        if (resume != null && toRun(RunDirectory.doneIn(resume), resume.resolve(RunDirectory.RESULTS)).isEmpty()) {
            Summary s = Summary.of(ResultsCsv.read(resume.resolve(RunDirectory.RESULTS)),
                    options.cells().stream().map(Cell::of).toList());
            out.println("nothing to resume: every cell of " + resume + " has ended (" + s.line() + ")");
            out.println(next(s, resume));
            return resume;
        }
        try (JmhLock jmh = JmhLock.take(out, waitForJmh);
             RunDirectory rd = resume != null ? RunDirectory.open(resume)
                     : RunDirectory.create(options.outputRoot(), host())) {
            rd.repairs().forEach(System.err::println);
            return run(rd);
        }
    }

    /**
     * The cells still to run, given those the journal holds: a cell whose last status says the
     * machine failed runs again, other failures on request ({@code --retry-failed}).
     */
    private List<CellSpec> toRun(Set<String> journalled, Path results) throws IOException {
        Set<String> done = new HashSet<>(journalled);
        if (Files.exists(results)) {
            Map<String, Status> latest = new java.util.HashMap<>();
            ResultsCsv.read(results).forEach(r -> latest.put(r.key(), r.status()));
            latest.forEach((cell, status) -> {
                if (status == Status.ENVIRONMENT || options.retryFailed() && status.retriable()) {
                    done.remove(cell);
                }
            });
        }
        return options.cells().stream().filter(c -> !done.contains(Cell.of(c).key())).toList();
    }

    /** The command to type next: the report when every cell has ended, else the resume that runs the rest. */
    static String next(Summary s, Path dir) {
        int unfinished = s.missing() + s.counts().getOrDefault(Status.ENVIRONMENT, 0);
        if (unfinished > 0) {
            return "next: " + JAR + " run --resume " + dir + "   # runs the " + unfinished + " cell(s) that did not finish";
        }
        int failed = s.counts().entrySet().stream().filter(e -> e.getKey().retriable()).mapToInt(Map.Entry::getValue).sum();
        return "next: " + JAR + " report " + dir.resolve(RunDirectory.RESULTS) + (failed == 0 ? ""
                : "   # or run --resume " + dir + " --retry-failed, to run the " + failed + " failed cell(s) again");
    }

    /** How the user started this jar, to spell the next command: {@code java -jar target/benchmarks.jar}. */
    private static final String JAR = jar();

    private static String jar() {
        try {
            Path jar = Path.of(Runner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.toString().endsWith(".jar")) {
                Path here = Path.of("").toAbsolutePath();
                return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source to name: the jar's usual name
        }
        return "java -jar benchmarks.jar";
    }

    private Path run(RunDirectory rd) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path dir = rd.dir();
        Path results = rd.results();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        // TensorFlow's natives may not load here: then no cell runs, and each is recorded with the reason.
        nativeProblem = NativeLoad.problem();
        if (nativeProblem.isEmpty()) {
            options.threads().forEach(t -> derived.measurePeaks(t, "at start"));
        }
        if (options.resume() == null) {
            options.writeRecord(dir);
        }
        Map<String, String> conditions = Conditions.collect(options);
        Path conditionsFile = conditionsFile(dir);
        writeConditions(dir, conditionsFile, conditions);
        Set<String> done = new HashSet<>(rd.done());
        toRun(rd.done(), results).forEach(c -> done.remove(Cell.of(c).key()));
        Thread hook = new Thread(() -> {
            CellProcess.stopAll();
            out.println("stopped: the cells that ended are kept; next: " + JAR + " run --resume " + dir
                    + "   # runs the rest");
        }, "slimbench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<CellSpec> cells = options.cells();
        int todo = (int) cells.stream().filter(c -> !done.contains(Cell.of(c).key())).count();
        out.printf(Locale.ROOT, "SlimBench: %d cells (%d already done) -> %s%n", cells.size(),
                cells.size() - todo, results);
        Plan plan = new Plan(cells, cells.stream().filter(c -> !done.contains(Cell.of(c).key())).toList(), options,
                derived.peaks());
        Duration estimate = plan.estimate(); // every model described and every cell priced once
        plan.lines(estimate).forEach(out::println);
        conditions.put(Conditions.ESTIMATE, Long.toString(estimate.toSeconds()));
        writeConditions(dir, conditionsFile, conditions);
        try {
            runCells(cells, todo, logs, rd, done);
            if (todo > 0 && nativeProblem.isEmpty()) {
                options.threads().forEach(t -> derived.measurePeaks(t, "at end"));
                conditions.put(Conditions.CORE_SPEED_END, CoreSpeed.measure().describe());
            }
            if (todo > 0) {
                conditions.put(Conditions.TOOK, Long.toString(Duration.ofNanos(System.nanoTime() - start).toSeconds()));
                writeConditions(dir, conditionsFile, conditions);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        List<ResultRow> all = ResultsCsv.read(results);
        Trackers.write(all, dir);
        Summary summary = Summary.of(all, cells.stream().map(Cell::of).toList());
        out.println(summary.line());
        out.println("results: " + dir);
        out.println(next(summary, dir));
        return dir;
    }

    private void runCells(List<CellSpec> cells, int todo, Path logs, RunDirectory rd, Set<String> done)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        int finished = 0;
        for (CellSpec spec : cells) {
            Cell cell = Cell.of(spec);
            if (done.contains(cell.key())) {
                continue;
            }
            long cellStart = System.nanoTime();
            List<ResultRow> rows = runCell(spec, logs, rd, done);
            Duration took = Duration.ofNanos(System.nanoTime() - cellStart);
            if (!CellProcess.recordUnlessStopping(() -> rd.append(rows))) {
                break; // the runner is being stopped: this cell was cut short, --resume reruns it
            }
            done.add(cell.key());
            finished++;
            long elapsed = System.nanoTime() - started;
            long eta = elapsed / finished * (todo - finished);
            out.printf(Locale.ROOT, "[%d/%d] %-40s %s   (%s)   ETA %s%n", cells.size() - todo + finished, cells.size(),
                    cell, summary(rows), Plan.format(took), Plan.format(Duration.ofNanos(eta)));
        }
    }

    private List<ResultRow> runCell(CellSpec spec, Path logs, RunDirectory rd, Set<String> done)
            throws IOException, InterruptedException {
        Cell cell = Cell.of(spec);
        long modelBytes;
        try {
            if (spec.model() != null) {
                // Generated outside the cell's watchdog and every timed region; recorded once as a file row.
                // Without TensorFlow nothing can be generated, but files already in the cache are still recorded.
                Model m = spec.model();
                Precision precision = spec.variant().precision();
                Optional<ModelFiles.Written> cached = Generator.cached(options.cache(), m, precision,
                        spec.optimize(), spec.scale(), 1);
                if (nativeProblem.isPresent() && cached.isEmpty()) {
                    return List.of(failure(cell, Status.UNSUPPORTED, nativeProblem.get()));
                }
                ModelFiles.Written w = cached.isPresent() ? cached.get()
                        : Generator.ensure(options.cache(), m, precision, spec.optimize(), spec.scale(), 1);
                Cell file = Cell.of(spec.withMode(Mode.FILE, 0));
                if (done.add(file.key())) {
                    CellProcess.record(() -> rd.append(List.of(new ResultRow(file, CellMetric.FILE_SIZE.label(), w.bytes() / (double) (1 << 20),
                            Double.NaN, CellMetric.FILE_SIZE.unit(), 1,
                            Status.OK, "sha256=" + w.sha256(), ""))));
                }
                modelBytes = w.bytes();
                // Verified here, so that the measuring process need not read it (a cold shot reads it first).
                slimbench.engine.Engines.of(spec.runtime()).verifyFile(options.cache(), spec);
            } else {
                modelBytes = ModelFiles.totalBytes(options.modelFile());
            }
        } catch (IOException | RuntimeException e) {
            return List.of(failure(cell, Status.ERROR, "cannot generate the model: " + e.getMessage()));
        } catch (OutOfMemoryError e) {
            return List.of(failure(cell, Status.OOM, "generating the model ran out of Java heap: " + e.getMessage()));
        }
        if (nativeProblem.isPresent()) {
            return List.of(failure(cell, Status.UNSUPPORTED, nativeProblem.get()));
        }
        Path log = logs.resolve(cell.slug() + ".log");
        Path rowsFile = Files.createTempFile(logs, cell.slug(), ".csv");
        Files.delete(rowsFile);
        CellProcess.Outcome outcome = CellProcess.run(CellProcess.command(CellMain.args(spec, options, rowsFile)),
                log, options.timeoutOf(spec), ceiling);
        Path said = CellMain.outcomeBeside(rowsFile);
        if (Files.exists(said) && (outcome.status() == Status.OK || outcome.status() == Status.ERROR)) {
            outcome = slimbench.model.RecordCodec.read(said, CellProcess.Outcome.class); // the cell's own account
        }
        try {
            if (outcome.status() == Status.OK && Files.exists(rowsFile)) {
                if (Files.exists(CellMain.jsonBeside(rowsFile))) {
                    JmhJson.append(rd.results().resolveSibling(JmhJson.FILE), CellMain.jsonBeside(rowsFile));
                }
                return derived.of(spec, ResultsCsv.read(rowsFile), modelBytes);
            }
            Status s = outcome.status() == Status.OK ? Status.ERROR : outcome.status();
            String message = outcome.status() == Status.OK ? "the cell wrote no results" : outcome.message();
            return List.of(failure(cell, s, message + " (log: " + log.getFileName() + ")"));
        } finally {
            Files.deleteIfExists(rowsFile);
            Files.deleteIfExists(CellMain.jsonBeside(rowsFile));
            Files.deleteIfExists(said);
        }
    }

    /**
     * This invocation's conditions file: {@code conditions.csv} for the first, and for each resume
     * {@code conditions-2.csv}, {@code -3}, ... beside it, never overwriting the first.
     */
    private static Path conditionsFile(Path dir) {
        Path first = dir.resolve("conditions.csv");
        if (!Files.exists(first)) {
            return first;
        }
        int n = 2;
        while (Files.exists(dir.resolve("conditions-" + n + ".csv"))) {
            n++;
        }
        return dir.resolve("conditions-" + n + ".csv");
    }

    /**
     * Writes this invocation's conditions with the best peaks so far and every peak measurement.
     * Where a resume measured another peak than the run's first, it says so: its cells'
     * {@code peak_fraction} rows name the peak they were divided by.
     */
    private void writeConditions(Path dir, Path file, Map<String, String> conditions) throws IOException {
        conditions.putAll(derived.conditions());
        Conditions.write(file, conditions);
        Path first = dir.resolve("conditions.csv");
        if (file.equals(first)) {
            return;
        }
        Map<String, String> before = Conditions.read(first);
        conditions.forEach((k, v) -> {
            if (k.startsWith("roofline.") && !k.endsWith(".measured") && before.containsKey(k)
                    && !before.get(k).equals(v) && noted.add(k + "=" + v)) {
                out.printf(Locale.ROOT, "note: this invocation measured %s = %s (the run's first: %s); "
                        + "its cells' peak_fraction rows say which peak they used (%s)%n", k, v, before.get(k),
                        file.getFileName());
            }
        });
    }

    static ResultRow failure(Cell cell, Status status, String message) {
        return new ResultRow(cell, CellMetric.primary(cell.mode()).label(), Double.NaN, Double.NaN,
                CellMetric.primary(cell.mode()).unit(), 0, status,
                message, "");
    }

    private static String summary(List<ResultRow> rows) {
        ResultRow main = rows.get(0);
        if (!main.status().ok()) {
            return main.status() + " " + main.message();
        }
        String flagged = rows.stream().filter(r -> r.status() == Status.INVALID)
                .map(r -> "; " + r.metric() + " INVALID: " + r.message()).findFirst().orElse("");
        return (Double.isNaN(main.error())
                ? String.format(Locale.ROOT, "OK %.2f %s", main.score(), main.unit())
                : String.format(Locale.ROOT, "OK %.2f ± %.2f %s", main.score(), main.error(), main.unit())) + flagged;
    }

    private static String host() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
