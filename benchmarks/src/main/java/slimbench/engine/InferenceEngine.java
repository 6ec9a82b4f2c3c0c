package slimbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Variant;

/**
 * One inference engine (runtime) as the suite, the commands and the reports use it, whichever it
 * is: nothing outside this package asks which engine a cell runs on. An implementation is found by
 * its {@link #name} in {@link Engines}, which loads them as services (the jar's own are listed in
 * {@code META-INF/services/slimbench.engine.InferenceEngine}).
 *
 * <p>An engine runs in the JVM (its {@link #load} gives an {@link Inference} that a JMH fork times), or
 * is timed by a tool of its own ({@link #selfTimed}), which is then handed the whole cell.
 */
public interface InferenceEngine {
    /** Its name: the label of {@code --runtimes} and of results.csv's {@code runtime} column. */
    Engine name();

    /** How a reader knows it, for the report's parts and the diff's sentences ({@code ONNX Runtime}). */
    String title();

    /** Whether a run that names no runtimes runs it (where it {@link #loadProblem loads}). */
    boolean byDefault();

    /** Why it cannot load on this machine at all (its natives' error, no tool), or empty when it loads. */
    Optional<String> loadProblem();

    /**
     * Before {@code check} runs a cell: throws {@code natives.NativeLoad.Failure} (exit 2) when this
     * engine's natives do not load and nothing can go on without them; an engine whose natives' absence
     * is only its cells' UNSUPPORTED (its {@link #problem}) does nothing.
     */
    default void requireNatives() {}

    /** The variants it runs (precisions, and the TensorRT variant where it has a way to run it). */
    List<Variant> variants();

    /**
     * Why it cannot run {@code cell} here, the reason a cell is recorded UNSUPPORTED with and
     * {@code check} prints; empty when it can. Loads its natives on the way.
     */
    Optional<String> problem(CellSpec cell);

    /**
     * The optimize modes it has cells for, of the axis {@code asked}: one cell per mode, or one only
     * where its file is the same whatever the mode (then the mode that file is made in).
     */
    default List<Optimize> optimizeModes(List<Optimize> asked) {
        return asked;
    }

    /** What a run's settings are to {@link #conditions}: the variants, threads, cache and timing asked for. */
    record RunSettings(List<Variant> variants, List<Integer> threads, Path cache, int warmups, int iterations,
                       Duration iterationTime) {}

    /** Its version and settings as {@code conditions.csv} records them for a run, or why it does not load. */
    Map<String, String> conditions(RunSettings run);

    /** Its version and session settings as {@code check} prints them ({@code key=value}), for a variant on a file. */
    Map<String, String> settings(Variant variant, Path file);

    /**
     * The file a zoo cell loads, in {@code cache}, made there first when missing (outside every timed
     * region); a user's own file is the cell's own.
     */
    Path file(Path cache, CellSpec cell) throws IOException;

    /**
     * Makes sure the runner has verified {@link #file} (its digest) before the cell starts, so that the
     * measuring process need not read it first; nothing where the runner's model file is the one loaded.
     */
    default void verifyFile(Path cache, CellSpec cell) throws IOException {}

    /**
     * Loads its natives and runs its smallest graph once at {@code threads}, so that a cold shot
     * times the model, not the library (which loads once per process).
     */
    void warmUp(int threads);

    /**
     * Loads a {@link #file} into a session: what a JMH fork times.
     *
     * @throws UnsupportedOperationException when the model needs what this engine lacks (an op)
     */
    Inference load(Path file, LoadOptions options) throws IOException;

    /**
     * What the accuracy guard holds a cell's answers to: the arithmetic they are computed in (for the
     * bound), the graph they are of, whether they are the reference's own (TensorFlow's fp32
     * {@code ahead} graph), and how a broken guard names the engine ({@code " through ONNX Runtime"}).
     */
    record Answers(Precision arithmetic, Optimize graph, boolean reference, String through) {}

    Answers answers(CellSpec cell);

    /** Whether this CPU's measured peaks frame its cells' rates (the roofline); not for an engine on a GPU. */
    default boolean onThisCpu() {
        return true;
    }

    /** Whether its fp16 cells are TensorRT FP16 engines, what 2019's tftrt-fp16 built: the diff says "=", not "≈". */
    default boolean buildsTensorRtFp16() {
        return false;
    }

    /**
     * Where one inference's time goes, from the engine's own trace ({@code profile}).
     *
     * @throws IllegalArgumentException when it has no op profile, or not for these options
     */
    OpProfile.Measured profile(Path cache, OpProfile.Options options) throws IOException;

    /** The cell's own tool when it times cells itself rather than in a JMH fork; empty for a JMH fork. */
    default Optional<SelfTimed> selfTimed() {
        return Optional.empty();
    }
}
