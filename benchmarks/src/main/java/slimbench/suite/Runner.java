package slimbench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import slimbench.model.Generator;
import slimbench.model.Precision;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;
import slimbench.natives.NativeLoad;

/**
 * Walks the model x variant x mode matrix cell by cell. Each cell runs in its own process tree
 * under a watchdog; its rows, or one row saying how it failed, are appended to the results CSV as
 * soon as it ends, so an interrupted run keeps every completed cell and {@code --resume} runs only
 * the rest.
 */
public final class Runner {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** Held while a cell's rows are written, so a shutdown never cuts a write, nor records a cell it ended. */
    private static final Object WRITING = new Object();
    private static volatile boolean stopping;
    /** Held while a cell's cgroup is made and its process started (see {@link #start}). */
    private static final Object STARTING = new Object();

    private final SuiteOptions options;
    private final PrintStream out;
    /** The best MatMul peak seen so far per thread count and precision (see {@link #measurePeaks}). */
    private final Map<Integer, Map<Precision, Double>> peaks = new TreeMap<>();
    /** Every peak measurement, as conditions: {@code roofline.fp32.t0.measured -> "27.9 at start, 391.0 after"}. */
    private final Map<String, String> peakMeasurements = new TreeMap<>();
    private final MemoryCeiling ceiling;
    private Optional<String> nativeProblem = Optional.empty();
    /** Peaks a resume has already said differ from the run's first. */
    private final Set<String> noted = new HashSet<>();

    public Runner(SuiteOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.ceiling = MemoryCeiling.of(options.memoryLimit());
    }

    /** Runs the suite and returns the run directory (holding results.csv, conditions.csv, logs/). */
    public Path run() throws IOException, InterruptedException {
        try (RunDirectory rd = options.resume() != null ? RunDirectory.open(options.resume())
                : RunDirectory.create(options.outputRoot(), host())) {
            rd.repairs().forEach(System.err::println);
            return run(rd);
        }
    }

    private Path run(RunDirectory rd) throws IOException, InterruptedException {
        Path dir = rd.dir();
        Path results = rd.results();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        // TensorFlow's natives may not load here: then no cell runs, and each is recorded with the reason.
        nativeProblem = NativeLoad.problem();
        if (nativeProblem.isEmpty()) {
            options.threads().forEach(t -> measurePeaks(t, "at start"));
        }
        if (options.resume() == null) {
            options.writeRecord(dir);
        }
        Map<String, String> conditions = Conditions.collect(options);
        Path conditionsFile = conditionsFile(dir);
        writeConditions(dir, conditionsFile, conditions);
        Set<String> done = new HashSet<>(rd.done());
        if (Files.exists(results)) {
            // A cell whose last status says the machine failed runs again; other failures on request.
            Map<String, Status> latest = new java.util.HashMap<>();
            ResultsCsv.read(results).forEach(r -> latest.put(r.cell(), r.status()));
            latest.forEach((cell, status) -> {
                if (status == Status.ENVIRONMENT || options.retryFailed() && status.retriable()) {
                    done.remove(cell);
                }
            });
        }
        Thread hook = new Thread(Runner::killRunning, "slimbench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Cell> cells = options.cells();
        int todo = (int) cells.stream().filter(c -> !done.contains(c.key())).count();
        out.printf(Locale.ROOT, "SlimBench: %d cells (%d already done) -> %s%n", cells.size(),
                cells.size() - todo, results);
        try {
            runCells(cells, todo, logs, rd, done);
            if (todo > 0 && nativeProblem.isEmpty()) {
                options.threads().forEach(t -> measurePeaks(t, "at end"));
                writeConditions(dir, conditionsFile, conditions);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        out.println(Summary.of(ResultsCsv.read(results), cells).line());
        out.println("results: " + dir);
        return dir;
    }

    private void runCells(List<Cell> cells, int todo, Path logs, RunDirectory rd, Set<String> done)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        int finished = 0;
        for (Cell cell : cells) {
            if (done.contains(cell.key())) {
                continue;
            }
            List<ResultRow> rows = runCell(cell, logs, rd, done);
            synchronized (WRITING) {
                if (stopping) {
                    break; // the runner is being stopped: this cell was cut short, --resume reruns it
                }
                rd.append(rows);
            }
            done.add(cell.key());
            finished++;
            long elapsed = System.nanoTime() - started;
            long eta = elapsed / finished * (todo - finished);
            out.printf(Locale.ROOT, "[%d/%d] %-40s %s   ETA %s%n", cells.size() - todo + finished, cells.size(),
                    cell, summary(rows), format(Duration.ofNanos(eta)));
        }
    }

    private List<ResultRow> runCell(Cell cell, Path logs, RunDirectory rd, Set<String> done)
            throws IOException, InterruptedException {
        String model = cell.model();
        long modelBytes;
        try {
            if (options.modelFile() == null) {
                // Generated outside the cell's watchdog and every timed region; recorded once as a file row.
                // Without TensorFlow nothing can be generated, but files already in the cache are still recorded.
                Variant v = Variant.of(cell.variant());
                Model m = Model.of(model);
                Optimize o = Optimize.of(cell.optimize());
                Scale scale = Scale.parse(options.scale());
                Optional<ModelFiles.Written> cached = Generator.cached(options.cache(), m, v.precision(), o, scale, 1);
                if (nativeProblem.isPresent() && cached.isEmpty()) {
                    return List.of(failure(cell, Status.UNSUPPORTED, nativeProblem.get()));
                }
                ModelFiles.Written w = cached.isPresent() ? cached.get()
                        : Generator.ensure(options.cache(), m, v.precision(), o, scale, 1);
                Cell file = new Cell(model, cell.variant(), cell.optimize(), 0, Cell.FILE);
                if (done.add(file.key())) {
                    appendNow(rd, List.of(new ResultRow(model, cell.variant(), cell.optimize(), 0,
                            Cell.FILE, "file_size", w.bytes() / (double) (1 << 20), Double.NaN, "MiB", 1,
                            Status.OK, "sha256=" + w.sha256(), "")));
                }
                modelBytes = w.bytes();
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
        CellProcess.Outcome outcome = CellProcess.run(CellProcess.command(CellMain.args(cell, options, rowsFile)),
                log, options.cellTimeout(), ceiling);
        try {
            if (outcome.status() == Status.OK && Files.exists(rowsFile)) {
                if (Files.exists(CellMain.jsonBeside(rowsFile))) {
                    JmhJson.append(rd.results().resolveSibling(JmhJson.FILE), CellMain.jsonBeside(rowsFile));
                }
                return withMemoryRatio(cell, withRoofline(cell, ResultsCsv.read(rowsFile)), modelBytes);
            }
            Status s = outcome.status() == Status.OK ? Status.ERROR : outcome.status();
            String message = outcome.status() == Status.OK ? "the cell wrote no results" : outcome.message();
            return List.of(failure(cell, s, message + " (log: " + log.getFileName() + ")"));
        } finally {
            Files.deleteIfExists(rowsFile);
            Files.deleteIfExists(CellMain.jsonBeside(rowsFile));
        }
    }

    /**
     * Measures the host's peak MatMul rate for {@code threads} through TensorFlow (a 2048-square
     * MatMul; 256 for scaled-down runs, whose cells are tiny anyway) and keeps the best seen. A peak
     * measured while the machine is busy is low, and every fraction of it too high, so it is measured
     * at the start, again at the end, and again beside any cell that would exceed it; each
     * measurement is kept for conditions.csv.
     */
    private Map<Precision, Double> measurePeaks(int threads, String when) {
        int n = options.scale().equals("full") ? 2048 : 256;
        Map<Precision, Double> now = PeakProcess.measure(n, threads, 5); // the pool of its own thread count
        Map<Precision, Double> best = peaks.computeIfAbsent(threads, t -> new java.util.EnumMap<>(Precision.class));
        now.forEach((p, gflops) -> {
            best.merge(p, gflops, Math::max);
            peakMeasurements.merge("roofline." + p.label() + ".t" + threads + ".measured",
                    String.format(Locale.ROOT, "%.1f %s", gflops, when), (a, b) -> a + ", " + b);
        });
        return best;
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
        peaks.forEach((threads, peak) -> peak.forEach((p, gflops) -> conditions.put(
                "roofline." + p.label() + ".t" + threads, String.format(Locale.ROOT, "%.1f GFLOP/s", gflops))));
        conditions.putAll(peakMeasurements);
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

    /**
     * A steady cell's useful work rate (2 x the model's MACs per inference) and its fraction of the
     * measured peak of its precision: how close the graph comes to what the hardware can do.
     */
    private List<ResultRow> withRoofline(Cell cell, List<ResultRow> rows) {
        if (!cell.mode().equals(Cell.STEADY) || options.modelFile() != null) {
            return rows;
        }
        ResultRow avg = rows.stream().filter(r -> r.metric().equals("avg")).findFirst().orElse(null);
        if (avg == null || !(avg.score() > 0)) {
            return rows;
        }
        long macs = Model.of(cell.model()).describe(Scale.parse(options.scale())).macs();
        double gflops = 2.0 * macs / (avg.score() * 1e6); // avg is in ms
        Precision precision = Variant.of(cell.variant()).precision();
        Double best = peaks.getOrDefault(cell.threads(), Map.of()).get(precision);
        if (best == null) { // not measured: the precision cannot run in this process
            return rows;
        }
        double peak = best;
        if (gflops > peak) { // the peak was likely measured on a busy machine: measure it again, now
            peak = measurePeaks(cell.threads(), "beside " + cell.slug()).get(precision);
        }
        List<ResultRow> out = new ArrayList<>(rows);
        out.add(new ResultRow(cell.model(), cell.variant(), cell.optimize(), cell.threads(), cell.mode(),
                "gflops", gflops, Double.NaN, "GFLOP/s", avg.samples(), Status.OK, "", avg.pressure()));
        out.add(peakFraction(cell, avg, gflops, peak));
        return out;
    }

    /** The fraction of the peak a cell reached; above 100% it cannot be true, and is marked INVALID. */
    static ResultRow peakFraction(Cell cell, ResultRow avg, double gflops, double peak) {
        boolean impossible = gflops > peak;
        return new ResultRow(cell.model(), cell.variant(), cell.optimize(), cell.threads(), cell.mode(),
                "peak_fraction", 100 * gflops / peak, Double.NaN, "%", avg.samples(),
                impossible ? Status.INVALID : Status.OK, impossible
                        ? String.format(Locale.ROOT, "above the best measured peak %.1f GFLOP/s, which cannot be: "
                                + "the peak or the cell was measured on a busy machine", peak)
                        : String.format(Locale.ROOT, "peak %.1f GFLOP/s", peak), avg.pressure());
    }

    /**
     * A cold cell's peak resident memory above its baseline (the same fork with TensorFlow loaded
     * and an empty graph run, just before the shot), as a multiple of the model's bytes on disk:
     * how many copies of its weights a load makes.
     */
    static List<ResultRow> withMemoryRatio(Cell cell, List<ResultRow> rows, long modelBytes) {
        ResultRow peak = rows.stream().filter(r -> r.metric().equals("mem.rss.peak")).findFirst().orElse(null);
        ResultRow base = rows.stream().filter(r -> r.metric().equals("mem.rss.after.baseline")).findFirst().orElse(null);
        if (!cell.mode().equals(Cell.COLD) || peak == null || base == null || modelBytes <= 0) {
            return rows;
        }
        double mib = modelBytes / (double) (1 << 20);
        List<ResultRow> out = new ArrayList<>(rows);
        out.add(new ResultRow(cell.model(), cell.variant(), cell.optimize(), cell.threads(), cell.mode(),
                "mem.over_model", (peak.score() - base.score()) / mib, Double.NaN, "x", peak.samples(), Status.OK,
                String.format(Locale.ROOT, "(peak %.0f - baseline %.0f MiB) / model %.0f MiB", peak.score(),
                        base.score(), mib), peak.pressure()));
        return out;
    }

    static ResultRow failure(Cell cell, Status status, String message) {
        return new ResultRow(cell.model(), cell.variant(), cell.optimize(), cell.threads(), cell.mode(),
                cell.mode().equals(Cell.COLD) ? "total" : "avg", Double.NaN, Double.NaN, "ms", 0, status,
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

    /**
     * Starts a cell's process and tracks it, atomically against {@link #killRunning}: a cell whose
     * cgroup is made and whose process starts while the runner is being stopped would otherwise be
     * neither killed nor removed. Once stopping, nothing new starts.
     */
    static Process start(MemoryCeiling ceiling, String name, java.util.function.Function<MemoryCeiling.Scope,
            ProcessBuilder> builder, MemoryCeiling.Scope[] scope) throws IOException {
        synchronized (STARTING) {
            if (stopping) {
                throw new IOException("the runner is being stopped");
            }
            scope[0] = ceiling.open(name);
            Process p = builder.apply(scope[0]).start();
            RUNNING.add(p);
            return p;
        }
    }

    static void untrack(Process p) {
        RUNNING.remove(p);
    }

    private static void appendNow(RunDirectory rd, List<ResultRow> rows) {
        synchronized (WRITING) {
            rd.append(rows);
        }
    }

    /**
     * On Ctrl-C or SIGTERM: no fork outlives the runner, the cell it cut short is not recorded (so
     * {@code --resume} runs it again), and a write in progress finishes before the JVM exits.
     */
    private static void killRunning() {
        synchronized (STARTING) {
            stopping = true;
        }
        new ArrayList<>(RUNNING).forEach(CellProcess::killTree);
        MemoryCeiling.removeCgroups();
        synchronized (WRITING) {
            // waits for a cell's rows being written
        }
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
