package slimbench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import slimbench.model.AtomicFile;

/**
 * Everything a suite run needs, parsed once from the command line (or a preset) and passed down.
 *
 * @param coldForks      fresh JVMs per cold-start cell (one shot each)
 * @param steadyForks    JVMs per steady-state cell
 * @param warmups        steady-state warm-up iterations
 * @param iterations     steady-state measured iterations (each at least 100 inferences)
 * @param iterationTime  minimum length of a steady-state iteration
 * @param cellTimeout    hard wall-clock limit of a cell, loading included
 * @param memoryLimit    bytes the cell's process tree may hold resident, 0 for none
 * @param scale          {@code full}, {@code tiny} or {@code SIZE:WIDTH:CLASSES}
 * @param modelFile      a user's frozen graph instead of the zoo, or null
 * @param forkJvmArgs    extra JVM arguments of the benchmark forks (e.g. {@code -Xmx2g} on a Jetson)
 * @param probes         whether the memory profiler runs with every cell
 * @param retryFailed    whether a resumed run also re-runs its ERROR, TIMEOUT and KILLED cells
 */
public record SuiteOptions(String preset, List<String> models, List<String> variants, List<String> optimize,
                           List<Integer> threads, List<String> modes, int coldForks, int steadyForks, int warmups,
                           int iterations, Duration iterationTime, Duration cellTimeout, long memoryLimit,
                           String scale, Path cache, Path modelFile, String inputName, String outputName,
                           Path outputRoot, Path resume, List<String> forkJvmArgs, boolean probes,
                           boolean retryFailed) {

    /** The cells of the matrix, in the order they run: model by model, cold before steady. */
    public List<Cell> cells() {
        List<String> names = modelFile != null ? List.of(modelFile.getFileName().toString()) : models;
        java.util.ArrayList<Cell> cells = new java.util.ArrayList<>();
        for (String m : names) {
            for (String v : variants) {
                for (String o : optimize) {
                    for (int t : threads) {
                        for (String mode : modes) {
                            cells.add(new Cell(m, v, o, t, mode));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /** Where a run records the options it was started with, so that {@code --resume} continues that run. */
    public static final String RECORD = "run.properties";

    /** The options that decide what a run measures, as {@link #RECORD} holds them. */
    public java.util.Properties record() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("preset", preset);
        p.setProperty("models", String.join(",", models));
        p.setProperty("variants", String.join(",", variants));
        p.setProperty("optimize", String.join(",", optimize));
        p.setProperty("threads", threads.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        p.setProperty("modes", String.join(",", modes));
        p.setProperty("cold_forks", Integer.toString(coldForks));
        p.setProperty("steady_forks", Integer.toString(steadyForks));
        p.setProperty("warmups", Integer.toString(warmups));
        p.setProperty("iterations", Integer.toString(iterations));
        p.setProperty("iteration_ms", Long.toString(iterationTime.toMillis()));
        p.setProperty("cell_timeout_s", Long.toString(cellTimeout.toSeconds()));
        p.setProperty("memory_limit", Long.toString(memoryLimit));
        p.setProperty("scale", scale);
        p.setProperty("cache", cache.toAbsolutePath().toString());
        p.setProperty("model_file", modelFile == null ? "" : modelFile.toAbsolutePath().toString());
        p.setProperty("input", inputName);
        p.setProperty("output", outputName);
        p.setProperty("fork_jvm_args", String.join(" ", forkJvmArgs));
        p.setProperty("probes", Boolean.toString(probes));
        return p;
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
            return new SuiteOptions(get(p, "preset"), list.apply("models"), list.apply("variants"),
                    list.apply("optimize"), list.apply("threads").stream().map(Integer::valueOf).toList(),
                    list.apply("modes"), Integer.parseInt(get(p, "cold_forks")), Integer.parseInt(get(p, "steady_forks")),
                    Integer.parseInt(get(p, "warmups")), Integer.parseInt(get(p, "iterations")),
                    Duration.ofMillis(Long.parseLong(get(p, "iteration_ms"))),
                    cellTimeout != null ? cellTimeout : Duration.ofSeconds(Long.parseLong(get(p, "cell_timeout_s"))),
                    Long.parseLong(get(p, "memory_limit")), get(p, "scale"), Path.of(get(p, "cache")),
                    modelFile.isEmpty() ? null : Path.of(modelFile), get(p, "input"), get(p, "output"),
                    dir, dir, jvm.isBlank() ? List.of() : List.of(jvm.split(" ")),
                    Boolean.parseBoolean(get(p, "probes")), retryFailed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is damaged (" + e.getMessage() + "): the run's options "
                    + "cannot be read back", e);
        }
    }

    private static String get(java.util.Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return v;
    }
}
