package slimbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import slimbench.engine.Engines;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.FileCachePolicy;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.model.Scale;
import slimbench.natives.NativeLoad;
import slimbench.suite.Cell;
import slimbench.suite.Preset;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Runner;
import slimbench.suite.SuiteOptions;
import slimbench.suite.Summary;

/** {@code run}: the suite. With no arguments at all, the jar runs this with the default preset. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the benchmark matrix cell by cell (each in its own process tree, under a watchdog), "
                + "appending every cell's results, failures included, to reports/<host>/<timestamp>/results.csv."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every cell measured OK (or UNSUPPORTED: this device cannot run it)",
                "1:the run could not go on (I/O, a full disk, the run directory held by another run)",
                "2:bad input or usage",
                "3:the run ended, but some cell failed (OOM, KILLED, TIMEOUT, ERROR, ENVIRONMENT) or did not run",
                "130/143:stopped by Ctrl-C / SIGTERM; --resume finishes it"},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar run --preset quick",
                "  java -jar benchmarks.jar run --models vgg_16,resnet_v1_50 \\",
                "      --variants fp32,bf16 --threads 1,2",
                "  java -jar benchmarks.jar run --resume reports/HOST/RUN",
                "How long: run prints its estimate before the first cell; measured runs are in docs/performance.md."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--preset", description = "quick, default, full, diligent or nano (default: ${DEFAULT-VALUE}; each "
            + "is listed below).")
    String preset = "default";

    @Option(names = "--models", split = ",", paramLabel = "M", description = "Models (default: the preset's).")
    List<String> models;

    @Option(names = "--variants", split = ",", paramLabel = "V", description = "fp32, fp16, bf16, tftrt-fp16.")
    List<String> variants;

    @Option(names = "--optimize", split = ",", paramLabel = "MODE", description = "at-load, ahead (default: the "
            + "preset's; the commands that take one model default to at-load).")
    List<String> optimize;

    @Option(names = "--threads", split = ",", description = "Intra-op thread budgets; 0 = this machine's logical "
            + "CPUs, recorded as that number (default: 0). A steady cell runs on the fastest count within its budget.")
    List<Integer> threads = List.of(0);

    @Option(names = "--choose-threads", negatable = true, description = "A steady cell times the counts 1, 2, 4, "
            + "... within its thread budget, each in a JVM of its own, and runs on the fastest; --no-choose-threads "
            + "runs every cell on exactly its budget (default: the preset's; default: no, the others: yes).")
    Boolean chooseThreads;

    @Option(names = "--file-cache", paramLabel = "POLICY", description = "cold: evict the model's files from the "
            + "page cache before each cold shot, so it reads the disk; warm: read them through first "
            + "(default: ${DEFAULT-VALUE}).")
    String fileCache = FileCachePolicy.COLD.label();

    @Option(names = "--modes", split = ",", description = "cold, steady (default: both).")
    List<String> modes = List.of(Mode.COLD.label(), Mode.STEADY.label());

    @Option(names = "--runtimes", split = ",", paramLabel = "ENGINE", description = "Engines every cell runs on: "
            + "tensorflow, onnxruntime (default: the preset's; for the presets that name none, both where ONNX "
            + "Runtime's natives load, else tensorflow, saying why; tensorflow for a --model-file). "
            + "ONNX Runtime runs each model's fp32 and fp16 ONNX file "
            + "once, as optimize ahead, whatever --optimize says; tftrt-fp16 is the fp32 file on its TensorRT "
            + "provider, in a jar built with -Pgpu. tensorrt runs fp32 and fp16 through this machine's trtexec "
            + "(docs/tensorrt.md).")
    List<String> runtimes;

    @Option(names = "--trtexec", paramLabel = "PATH", description = "The trtexec the tensorrt cells run "
            + "(default: trtexec on the PATH, else JetPack's /usr/src/tensorrt/bin/trtexec).")
    Path trtexec;

    @Option(names = "--forks", description = "Fixed forks per cell, cold and steady, as JMH runs them (default: "
            + "each cell starts with " + Preset.MIN_FORKS + " and adds forks until its interval is within the preset's "
            + "target or its budget is spent).")
    Integer forks;

    @Option(names = "--iterations", description = "Measured steady-state iterations (default: the preset's).")
    Integer iterations;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", description = "Hard limit per fork of a cell, loading included; a cell of N forks gets N times it "
            + "(default: ${DEFAULT-VALUE}, the experiment's 5 minutes).")
    long cellTimeout = 300;

    @Option(names = "--memory-limit", paramLabel = "SIZE", description = "Memory ceiling of each cell's process tree, e.g. 4g: a cgroup's limit where "
            + "the machine allows one below the runner's, else the runner kills the tree at that RSS.")
    String memoryLimit;

    @Option(names = "--scale", description = "full, tiny, or SIZE:WIDTH:CLASSES (default: ${DEFAULT-VALUE}).")
    String scale = "full";

    @Option(names = "--cache", paramLabel = "DIR", description = "Generated models (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;

    @Option(names = "--model-file", paramLabel = "PATH", description = "Benchmark your own frozen graph (.pb) or SavedModel directory instead of the zoo.")
    Path modelFile;

    @Option(names = "--allow-op", paramLabel = "OP", description = "Run a --model-file that holds this op (repeatable): "
            + "one that touches files, the network or other processes is refused otherwise; an ONNX op as domain:op_type.")
    java.util.Set<String> allowOps = new java.util.LinkedHashSet<>();

    @Option(names = "--input", description = "Input node of --model-file (default: ${DEFAULT-VALUE}).")
    String input = Model.INPUT;

    @Option(names = "--output", description = "Output node of --model-file (default: ${DEFAULT-VALUE}).")
    String output = Model.OUTPUT;

    @Option(names = "--out", paramLabel = "DIR", description = "Reports root (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("reports");

    @Option(names = "--resume", paramLabel = "DIR", description = "Finish an interrupted run: only its missing cells.")
    Path resume;

    @Option(names = "--retry-failed", description = "With --resume: also run again the cells that ended ERROR, TIMEOUT or KILLED.")
    boolean retryFailed;

    @Option(names = "--fork-jvm-args", paramLabel = "ARGS", description = "Extra JVM arguments of the measuring forks, e.g. \"-Xmx2g\".")
    String forkJvmArgs = "";

    @Option(names = "--no-probes", description = "Do not run the memory profiler.")
    boolean noProbes;

    @Option(names = "--no-wait", description = "Exit (1) before the first cell when another benchmark holds JMH's lock, "
            + "instead of waiting for it.")
    boolean noWait;

    /** The exit code of a run that ended with some cell not OK: its results are complete, not good. */
    static final int CELLS_FAILED = 3;

    /** The longest --cell-timeout: a week, far above any cell, far below what a clock can hold. */
    private static final long MAX_CELL_TIMEOUT_S = 7 * 24 * 3600;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SuiteOptions o = resume != null ? resumed(options()) : options();
        slimbench.model.OpScreen.check(o.modelFile(), allowOps);
        Path dir = new Runner(o, System.out).waitForJmh(!noWait).run();
        NativeLoad.problem().ifPresent(p -> {
            throw new NativeLoad.Failure(p + " (every cell is recorded UNSUPPORTED in " + dir.resolve("results.csv") + ")");
        });
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
        if (o.modelFile() != null) {
            // One user's model: if no cell could run it, the file (or its node names) is the problem.
            if (rows.stream().noneMatch(r -> r.status().ok())) {
                throw new IllegalArgumentException("no cell could run " + o.modelFile() + ": "
                        + rows.stream().map(ResultRow::message).findFirst().orElse("no result")
                        + " (every cell is recorded in " + dir.resolve("results.csv") + ")");
            }
        }
        return Summary.of(rows, o.cells().stream().map(Cell::of).toList()).complete() ? 0 : CELLS_FAILED;
    }

    SuiteOptions options() throws IOException {
        if (trtexec != null) {
            slimbench.tensorrt.Trtexec.use(trtexec);
        }
        Preset p = Preset.of(preset);
        List<Model> ms = (models != null ? models : p.models()).stream().map(Model::of).toList();
        List<Variant> vs = (variants != null ? variants : p.variants()).stream().map(Variant::of).toList();
        // A user's file runs both ways unless told: it has no graph optimised ahead by the zoo's generator.
        List<String> given = optimize != null ? optimize : modelFile != null ? List.of("at-load", "ahead") : p.optimize();
        List<Optimize> os = given.stream().map(Optimize::of).toList();
        for (String m : modes) {
            if (!m.equals(Mode.COLD.label()) && !m.equals(Mode.STEADY.label())) {
                throw new IllegalArgumentException("unknown mode '" + m + "'; valid: cold, steady");
            }
        }
        List<Mode> mds = modes.stream().map(Mode::of).toList();
        List<Engine> engines = runtimes != null ? runtimes.stream().map(r -> Engines.of(r).name()).toList()
                : modelFile != null ? List.of(Engine.DEFAULT)
                : p.runtimes() != null ? p.runtimes().stream().map(r -> Engines.of(r).name()).toList() : defaultEngines();
        threads.forEach(t -> {
            if (t < 0) {
                throw new IllegalArgumentException("--threads must be 0 (all cores) or positive, not " + t);
            }
        });
        if (cellTimeout <= 0) {
            throw new IllegalArgumentException("--cell-timeout must be positive");
        }
        if (cellTimeout > MAX_CELL_TIMEOUT_S) {
            throw new IllegalArgumentException("--cell-timeout " + cellTimeout + " is out of range: at most "
                    + MAX_CELL_TIMEOUT_S + " seconds (a week)");
        }
        noDuplicates("--models", models);
        noDuplicates("--variants", variants);
        noDuplicates("--optimize", optimize);
        noDuplicates("--threads", threads);
        noDuplicates("--modes", modes);
        if (runtimes != null) {
            noDuplicates("--runtimes", runtimes);
        }
        if (retryFailed && resume == null) {
            throw new IllegalArgumentException("--retry-failed re-runs the failed cells of a run: give it with --resume DIR");
        }
        if (forks != null && forks < 1) {
            throw new IllegalArgumentException("--forks must be at least 1");
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1");
        }
        if (modelFile != null) {
            if (models != null) {
                throw new IllegalArgumentException("--model-file and --models contradict each other: give one");
            }
            if (!Files.exists(modelFile)) {
                throw new IllegalArgumentException("--model-file " + modelFile + " does not exist");
            }
            if (Files.isDirectory(modelFile) && !Files.isRegularFile(modelFile.resolve("saved_model.pb"))) {
                throw new IllegalArgumentException("--model-file " + modelFile + " is a directory without "
                        + "saved_model.pb: give a frozen graph (.pb) or a SavedModel directory");
            }
            if (!Files.isDirectory(modelFile) && !Files.isRegularFile(modelFile)) {
                throw new IllegalArgumentException("--model-file " + modelFile + " is not a regular file "
                        + "(a device or a pipe): give a frozen graph (.pb) or a SavedModel directory");
            }
            if (Files.isRegularFile(modelFile) && Files.size(modelFile) == 0) {
                throw new IllegalArgumentException("--model-file " + modelFile + " is empty (0 bytes)");
            }
        }
        if (resume != null && !Files.isRegularFile(resume.resolve("results.csv"))) {
            throw new IllegalArgumentException("--resume " + resume + " holds no results.csv to resume");
        }
        Scale sc = Scale.parse(scale);
        long limit = memoryLimit == null ? 0 : slimbench.suite.MemoryCeiling.parseLimit(memoryLimit);
        return new SuiteOptions(p.name().toLowerCase(java.util.Locale.ROOT), ms, vs, os, budgets(threads), mds, engines,
                forks != null ? forks : Preset.MIN_FORKS, forks != null ? forks : Preset.MIN_FORKS, p.warmups(),
                iterations != null ? iterations : p.iterations(), p.iterationTime(), Duration.ofSeconds(cellTimeout),
                limit, sc, cache, modelFile, input, output, out, resume,
                forkJvmArgs.isBlank() ? List.of() : List.of(forkJvmArgs.trim().split("\\s+")), !noProbes, retryFailed,
                FileCachePolicy.of(fileCache), forks != null || iterations != null, p.target(), p.coldBudget(),
                p.steadyBudget(), chooseThreads != null ? chooseThreads : p.chooseThreads());
    }

    /**
     * The thread budgets with 0 resolved to this machine's logical CPUs, before any cell: both
     * engines then get the same number, and results record it (a budget listed twice once resolved runs once).
     */
    static List<Integer> budgets(List<Integer> given) {
        int cpus = Runtime.getRuntime().availableProcessors();
        return given.stream().map(t -> t == 0 ? cpus : t).distinct().toList();
    }

    /**
     * The options of the run being resumed, from its own record: a resume continues that run, so
     * an option given again must agree with it (only --cell-timeout and --retry-failed are this
     * invocation's). A run from before the record keeps the command line's options.
     */
    private SuiteOptions resumed(SuiteOptions given) throws IOException {
        if (!Files.exists(resume.resolve(SuiteOptions.RECORD))) {
            return given;
        }
        boolean timeoutGiven = matched("--cell-timeout");
        SuiteOptions r = SuiteOptions.recorded(resume, timeoutGiven ? given.cellTimeout() : null, retryFailed);
        agree("--preset", given.preset(), r.preset());
        agree("--models", given.models(), r.models());
        agree("--variants", given.variants(), r.variants());
        agree("--optimize", given.optimize(), r.optimize());
        agree("--threads", given.threads(), r.threads());
        agree("--modes", given.modes(), r.modes());
        agree("--runtimes", given.runtimes(), r.runtimes());
        agree("--forks", List.of(given.coldForks(), given.steadyForks()), List.of(r.coldForks(), r.steadyForks()));
        agree("--iterations", given.iterations(), r.iterations());
        agree("--memory-limit", (given.memoryLimit() >> 20) + " MiB", (r.memoryLimit() >> 20) + " MiB");
        agree("--scale", given.scale().label(), r.scale().label());
        agree("--cache", given.cache().toAbsolutePath().toString(), r.cache().toString());
        agree("--model-file", given.modelFile() == null ? null : given.modelFile().toAbsolutePath().toString(),
                r.modelFile() == null ? null : r.modelFile().toString());
        agree("--input", given.inputName(), r.inputName());
        agree("--output", given.outputName(), r.outputName());
        agree("--fork-jvm-args", given.forkJvmArgs(), r.forkJvmArgs());
        agree("--no-probes", given.probes(), r.probes());
        agree("--file-cache", given.fileCache(), r.fileCache());
        agree("--choose-threads", given.chooseThreads(), r.chooseThreads());
        return r;
    }

    private boolean matched(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void agree(String option, Object given, Object recorded) {
        if (matched(option) && !java.util.Objects.equals(given, recorded)) {
            throw new IllegalArgumentException("--resume " + resume + " continues a run made with " + option + " "
                    + show(recorded) + ", not " + show(given) + " (" + resume.resolve(SuiteOptions.RECORD)
                    + "): drop " + option + ", or start a new run");
        }
    }

    private static String show(Object v) {
        return v instanceof List<?> l ? l.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                : String.valueOf(v);
    }

    /** A name listed twice would run its cells twice and inflate the count and the ETA. */
    /**
     * The engines that run by default where they load, so the default run answers "which runtime" too;
     * their natives are loaded here, once, to know (the cells load their own).
     */
    static List<Engine> defaultEngines() {
        return Engines.defaults();
    }

    private static void noDuplicates(String option, List<?> values) {
        if (values == null) {
            return;
        }
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new IllegalArgumentException(option + " lists " + v + " twice");
            }
        }
    }
}
