package slimbench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import slimbench.model.AtomicFile;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.FileCachePolicy;
import slimbench.model.Labelled;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

/**
 * Everything a suite run needs, parsed once from the command line (or a preset) and passed down.
 *
 * @param coldForks      fresh JVMs per cold-start cell (one shot each): the first, or all with {@code fixedForks}
 * @param steadyForks    JVMs per steady-state cell: the first, or all with {@code fixedForks}
 * @param warmups        steady-state warm-up iterations
 * @param iterations     steady-state measured iterations (each at least 100 inferences)
 * @param iterationTime  minimum length of a steady-state iteration
 * @param cellTimeout    hard wall-clock limit per fork of a cell, loading included ({@link #timeoutOf})
 * @param memoryLimit    bytes the cell's process tree may hold resident, 0 for none
 * @param runtimes       the engines every cell runs on
 * @param scale          the size zoo models are built at
 * @param modelFile      a user's frozen graph instead of the zoo, or null
 * @param forkJvmArgs    extra JVM arguments of the benchmark forks (e.g. {@code -Xmx2g} on a Jetson)
 * @param probes         whether the memory profiler runs with every cell
 * @param retryFailed    whether a resumed run also re-runs its ERROR, TIMEOUT and KILLED cells
 * @param fileCache      whether a cold shot reads its model from disk or from the page cache
 * @param fixedForks     whether the fork counts are fixed ({@code --forks}) rather than a start
 * @param target         the interval half-width, relative to the mean, at which a cell stops adding forks
 * @param coldBudget     how long a cold cell may measure for, past which it adds no shot
 * @param steadyBudget   how long a steady cell may measure for, past which it adds no fork
 * @param chooseThreads  whether a steady cell probes the counts within its thread budget and runs on the
 *                       fastest ({@code bench.ThreadChoice}), rather than on exactly its budget
 */
public record SuiteOptions(String preset, List<Model> models, List<Variant> variants, List<Optimize> optimize,
                           List<Integer> threads, List<Mode> modes, List<Engine> runtimes, int coldForks, int steadyForks, int warmups,
                           int iterations, Duration iterationTime, Duration cellTimeout, long memoryLimit,
                           Scale scale, Path cache, Path modelFile, String inputName, String outputName,
                           Path outputRoot, Path resume, List<String> forkJvmArgs, boolean probes,
                           boolean retryFailed, FileCachePolicy fileCache, boolean fixedForks, double target,
                           Duration coldBudget, Duration steadyBudget, boolean chooseThreads) {

    /**
     * The cells of the matrix, in the order they run: model by model, cold before steady, engine by
     * engine innermost. An engine whose file is the same whatever the optimize mode (ONNX Runtime's,
     * the {@code ahead} graph's translation) has one cell where another has one per mode
     * ({@code InferenceEngine.optimizeModes}), at the first mode of the axis.
     */
    public List<CellSpec> cells() {
        List<Model> zoo = modelFile != null ? java.util.Collections.singletonList(null) : models;
        java.util.Map<Engine, List<Optimize>> own = new java.util.HashMap<>();
        runtimes.forEach(e -> own.put(e, slimbench.engine.Engines.of(e).optimizeModes(optimize)));
        java.util.Set<CellSpec> cells = new java.util.LinkedHashSet<>();
        for (Model m : zoo) {
            for (Variant v : variants) {
                for (Optimize o : optimize) {
                    for (int t : threads) {
                        for (Mode mode : modes) {
                            for (Engine e : runtimes) {
                                for (Optimize x : own.get(e).contains(o) ? List.of(o) : own.get(e)) {
                                    cells.add(new CellSpec(m, modelFile, v, x, scale, t, mode, e));
                                }
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(cells);
    }

    /** Where a run records the options it was started with, so that {@code --resume} continues that run. */
    public static final String RECORD = "run.properties";

    /** The options that decide what a run measures, as {@link #RECORD} holds them. */
    public java.util.Properties record() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("preset", preset);
        p.setProperty("models", labels(models));
        p.setProperty("variants", labels(variants));
        p.setProperty("optimize", labels(optimize));
        p.setProperty("threads", threads.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        p.setProperty("modes", labels(modes));
        p.setProperty("runtimes", labels(runtimes));
        p.setProperty("cold_forks", Integer.toString(coldForks));
        p.setProperty("steady_forks", Integer.toString(steadyForks));
        p.setProperty("warmups", Integer.toString(warmups));
        p.setProperty("iterations", Integer.toString(iterations));
        p.setProperty("iteration_ms", Long.toString(iterationTime.toMillis()));
        p.setProperty("cell_timeout_s", Long.toString(cellTimeout.toSeconds()));
        p.setProperty("memory_limit", Long.toString(memoryLimit));
        p.setProperty("scale", scale.label());
        p.setProperty("cache", cache.toAbsolutePath().toString());
        p.setProperty("model_file", modelFile == null ? "" : modelFile.toAbsolutePath().toString());
        p.setProperty("input", inputName);
        p.setProperty("output", outputName);
        p.setProperty("fork_jvm_args", String.join(" ", forkJvmArgs));
        p.setProperty("probes", Boolean.toString(probes));
        p.setProperty("file_cache", fileCache.label());
        p.setProperty("fixed_forks", Boolean.toString(fixedForks));
        p.setProperty("target", Double.toString(target));
        p.setProperty("cold_budget_s", Long.toString(coldBudget.toSeconds()));
        p.setProperty("steady_budget_s", Long.toString(steadyBudget.toSeconds()));
        p.setProperty("choose_threads", Boolean.toString(chooseThreads));
        return p;
    }

    /**
     * The watchdog's limit for one cell: {@code cellTimeout} for each of its first forks, since every
     * fork loads the model again and runs its own warm-up (a 3-fork vgg_16 cell does not fit in one
     * fork's 5 minutes), plus its budget for the forks it may add.
     */
    public Duration timeoutOf(CellSpec cell) {
        boolean cold = cell.mode() == Mode.COLD;
        Duration first = cellTimeout.multipliedBy(cold ? coldForks : steadyForks);
        return fixedForks ? first : first.plus(budgetOf(cell));
    }

    /** How long a cell may measure for when its forks are not fixed. */
    public Duration budgetOf(CellSpec cell) {
        return cell.mode() == Mode.COLD ? coldBudget : steadyBudget;
    }

    /** Writes {@link #record()} into a run directory, atomically. */
    public void writeRecord(Path dir) throws java.io.IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        record().store(w, "the options of this run; --resume continues with them");
        AtomicFile.write(dir.resolve(RECORD), w.toString());
    }

    /**
     * The options a run directory recorded, resumed into {@code dir}: the cell timeout and whether
     * to retry failed cells are this invocation's.
     *
     * @throws IllegalArgumentException when the record is damaged, naming it
     */
    public static SuiteOptions recorded(Path dir, Duration cellTimeout, boolean retryFailed) throws java.io.IOException {
        Path file = dir.resolve(RECORD);
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(in);
        }
        try {
            java.util.function.Function<String, List<String>> list = k -> List.of(get(p, k).split(","));
            String modelFile = get(p, "model_file");
            String jvm = p.getProperty("fork_jvm_args", "");
            // A run recorded before the runtime axis ran every cell on the default engine.
            List<Engine> runtimes = p.getProperty("runtimes") == null ? List.of(Engine.DEFAULT)
                    : list.apply("runtimes").stream().map(l -> slimbench.engine.Engines.of(l).name()).toList();
            return new SuiteOptions(get(p, "preset"), list.apply("models").stream().map(Model::of).toList(),
                    list.apply("variants").stream().map(Variant::of).toList(),
                    list.apply("optimize").stream().map(Optimize::of).toList(),
                    list.apply("threads").stream().map(Integer::valueOf).toList(),
                    list.apply("modes").stream().map(Mode::of).toList(), runtimes, Integer.parseInt(get(p, "cold_forks")), Integer.parseInt(get(p, "steady_forks")),
                    Integer.parseInt(get(p, "warmups")), Integer.parseInt(get(p, "iterations")),
                    Duration.ofMillis(Long.parseLong(get(p, "iteration_ms"))),
                    cellTimeout != null ? cellTimeout : Duration.ofSeconds(Long.parseLong(get(p, "cell_timeout_s"))),
                    Long.parseLong(get(p, "memory_limit")), Scale.parse(get(p, "scale")), Path.of(get(p, "cache")),
                    modelFile.isEmpty() ? null : Path.of(modelFile), get(p, "input"), get(p, "output"),
                    dir, dir, jvm.isBlank() ? List.of() : List.of(jvm.split(" ")),
                    Boolean.parseBoolean(get(p, "probes")), retryFailed,
                    FileCachePolicy.of(p.getProperty("file_cache", FileCachePolicy.COLD.label())),
                    // A run recorded before adaptive measurement ran its fork counts as given.
                    Boolean.parseBoolean(p.getProperty("fixed_forks", "true")),
                    Double.parseDouble(p.getProperty("target", "0")),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("cold_budget_s", "0"))),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("steady_budget_s", "0"))),
                    // A run recorded before the choice was an option probed every budget above 1.
                    Boolean.parseBoolean(p.getProperty("choose_threads", "true")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is damaged (" + e.getMessage() + "): the run's options "
                    + "cannot be read back", e);
        }
    }

    private static String labels(List<? extends Labelled> values) {
        return values.stream().map(Labelled::label).collect(java.util.stream.Collectors.joining(","));
    }

    private static String get(java.util.Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return v;
    }
}
