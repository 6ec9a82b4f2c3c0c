package slimbench.engine;

import java.util.Locale;

/**
 * A model loaded into an engine's session with its input made once: what the benchmarks time,
 * whichever engine runs it ({@link InferenceEngine#load}). Each loads in the phases a user waits for,
 * so their cold starts compare phase by phase.
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

    /**
     * Checks that {@code p} is a probability vector (finite, non-negative, summing to 1, not collapsed
     * to one class by overflow) and returns its top-1 class; an output computed elsewhere (trtexec's)
     * is checked here too.
     */
    static int checkProbabilities(float[] p) {
        double sum = 0;
        int top = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i]) || p[i] < 0) {
                throw new IllegalStateException("output holds " + p[i] + " at class " + i);
            }
            sum += p[i];
            if (p[i] > p[top]) {
                top = i;
            }
        }
        if (Math.abs(sum - 1) > 1e-2) {
            throw new IllegalStateException(String.format(Locale.ROOT, "probabilities sum to %.4f, not 1", sum));
        }
        if (p.length > 1 && p[top] > 0.9999f) {
            throw new IllegalStateException("softmax collapsed to one class (" + p[top] + "): logits overflowed");
        }
        return top;
    }

    @Override
    void close();
}
