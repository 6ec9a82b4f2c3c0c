package slimbench.bench;

/**
 * A model loaded into an engine's session with its input made once: what the benchmarks time,
 * whichever engine runs it ({@link LoadedModel} for TensorFlow, {@link OnnxRuntimeModel} for ONNX
 * Runtime). Both load in the phases a user waits for, so their cold starts compare phase by phase.
 */
public interface Inference extends AutoCloseable {
    /**
     * Nanoseconds each load phase took; {@code importNanos} is {@link #NO_IMPORT} for an engine
     * that imports inside session creation (ONNX Runtime), so no zero is reported as measured.
     */
    record Phases(long readNanos, long importNanos, long sessionNanos) {
        public static final long NO_IMPORT = -1;
    }

    /** One inference whose output is dropped without being copied out: the timed call. */
    void inferDiscarding();

    /**
     * Runs one inference and checks the output is a probability vector: right rank, finite,
     * summing to 1, not collapsed to one class by overflow. Returns the top-1 class.
     */
    int inferAndCheck();

    /** The answers to the first {@code images} deterministic images (the accuracy guard's). */
    float[][] probabilities(int images);

    Phases phases();

    @Override
    void close();
}
