package slimbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import slimbench.engine.Engines;
import slimbench.engine.Images;
import slimbench.engine.Inference;
import slimbench.engine.InferenceEngine;
import slimbench.engine.LoadOptions;
import slimbench.model.CellSpec;
import slimbench.model.RecordCodec;

/**
 * The cell a benchmark runs: which model file, loaded how. One {@code @Param} per component of
 * {@link CellSpec}, named as the component and spelled by {@link RecordCodec} (the runner's cell
 * process sets them all), so JMH's command line ({@code -p model=resnet_v1_50 -p variant=fp16}),
 * the runner and the reports spell them the same way; they are decoded into the spec once.
 * Resolving (and, if missing, generating) the file happens here, outside every timed region.
 */
@State(Scope.Benchmark)
public class ModelState {
    /** A model of the zoo; empty when {@link #modelFile} is given. */
    @Param({"mobilenet_v1"})
    public String model;

    /**
     * A user's own frozen graph (.pb) or SavedModel directory instead of a generated one
     * ({@code run --model-file}); empty for the zoo.
     */
    @Param({""})
    public String modelFile;

    @Param({"fp32"})
    public String variant;

    @Param({"at-load"})
    public String optimize;

    /** {@code full}, or {@code SIZE:WIDTH:CLASSES} for a scaled-down model (tests). */
    @Param({"full"})
    public String scale;

    /** Intra-op threads; 0 lets the engine use every core. */
    @Param({"0"})
    public int threads;

    /**
     * The budget {@link #threads} was chosen within ({@link ThreadChoice}); recorded so that JMH's
     * results say both, loading reads {@link #threads} only.
     */
    @Param({"0"})
    public int threadsBudget;

    /** The cell's mode, as the runner's cell names it; the benchmark method is what measures it. */
    @Param({"steady"})
    public String mode;

    @Param({"tensorflow"})
    public String runtime;

    /** Where generated models are cached. */
    @Param({"fixtures/models"})
    public String cache;

    @Param({"input"})
    public String inputName;

    @Param({"scores"})
    public String outputName;

    private CellSpec spec;

    /** A state outside JMH, for a probe process ({@link ThreadChoice#main}): the spec given, not decoded. */
    static ModelState of(CellSpec spec, String cache, String inputName, String outputName) {
        ModelState s = new ModelState();
        s.spec = spec;
        s.cache = cache;
        s.inputName = inputName;
        s.outputName = outputName;
        return s;
    }

    /** The cell's parameters, decoded once: every use below reads the typed spec. */
    CellSpec spec() {
        if (spec == null) {
            Map<String, String> params = new LinkedHashMap<>();
            for (RecordComponent c : CellSpec.class.getRecordComponents()) {
                try {
                    params.put(c.getName(), String.valueOf(ModelState.class.getField(c.getName()).get(this)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("ModelState has no @Param " + c.getName() + " of CellSpec", e);
                }
            }
            spec = RecordCodec.decode(CellSpec.class, params);
        }
        return spec;
    }

    /** Before anything else in the fork (JMH runs this state's setup before the benchmarks' own). */
    @Setup(Level.Trial)
    public void watchHost() {
        HostWatch.start();
    }

    /**
     * Makes the cell ready to load, outside every timed region: throws {@link
     * UnsupportedOperationException} when its engine cannot run the variant here ({@link
     * #requireRunnable}), and returns the model's file, generated first if missing. The file is not
     * read here: the runner verified its digest before the cell, so a cold shot finds the page cache
     * as the runner left it.
     */
    Path prepare() throws IOException {
        CellSpec s = spec();
        requireRunnable(s);
        return s.modelFile() != null ? userFile() : engine().file(Path.of(cache), s);
    }

    /**
     * Throws {@link UnsupportedOperationException} with the reason when the cell's engine cannot run
     * its variant here, or times its cells with a tool of its own rather than in a JMH fork (its
     * natives load on the way): the one judgement of what a cell records UNSUPPORTED, which
     * {@code check} asks too, so the two never disagree.
     */
    public static void requireRunnable(CellSpec s) {
        InferenceEngine e = Engines.of(s.runtime());
        if (e.selfTimed().isPresent()) {
            throw new UnsupportedOperationException(s.runtime() + " cells are timed by " + e.selfTimed().get().tool()
                    + ", not in a JMH fork");
        }
        e.problem(s).ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
    }

    /**
     * Loads the engine's natives and runs it once, so that a cold start times the model, not the
     * library (which loads once per process): each engine makes a session on its smallest graph
     * and runs it once. The input image is made here too, outside the shot.
     */
    void loadEngine() {
        engine().warmUp(spec().threads());
        if (spec().model() != null) { // a user's file tells its input size only once loaded
            Images.prepare(spec().model().inputSize(spec().scale()));
        }
    }

    /** Loads a {@link #prepare}d file on the cell's engine, telling {@code onPhase} as each load phase ends. */
    Inference load(Path file, Consumer<String> onPhase) throws IOException {
        return load(file, spec().threads(), onPhase);
    }

    /** {@link #load(Path, Consumer)} at {@code threads} intra-op threads instead of the cell's (a thread probe). */
    Inference load(Path file, int threads, Consumer<String> onPhase) throws IOException {
        CellSpec s = spec();
        return engine().load(file, new LoadOptions(inputName, outputName, s.variant(), s.optimize(), threads, onPhase));
    }

    /**
     * The accuracy guard against fp32, for a model of the zoo (a user's own file has no
     * reference): TensorFlow's FP32 graph's answers, computed in a child process and cached, so
     * that no second session runs beside the one measured.
     */
    void requireAccurate(Inference loaded) throws IOException {
        CellSpec s = spec();
        if (s.model() != null) {
            AccuracyGuard.require(loaded, engine().answers(s), Path.of(cache), s.model(), s.scale());
        }
    }

    private InferenceEngine engine() {
        return Engines.of(spec().runtime());
    }

    private Path userFile() {
        Path f = spec().modelFile();
        if (!Files.exists(f)) { // a directory is a SavedModel, a named pipe a file
            throw new IllegalArgumentException("model file " + f + " does not exist");
        }
        return f;
    }
}
