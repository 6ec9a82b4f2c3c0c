package slimbench.model;

/**
 * How a variable's deterministic initial values are drawn. Kernels use He scaling before a relu
 * and LeCun scaling before a linear output, so the second moment of activations stays constant
 * through any depth (the timing does not depend on the values, but NaN, Inf and a softmax
 * collapsed by overflow would make the half-precision results meaningless). Batch norm statistics
 * are near, not at, identity, so that folding them ahead of time is exercised for real.
 */
public enum Init {
    /** Kernel followed by a relu: uniform, variance 2 / fan-in. */
    HE,
    /** Kernel followed by nothing (projections, logits): uniform, variance 1 / fan-in. */
    LINEAR,
    BIAS,
    GAMMA,
    BETA,
    MEAN,
    VARIANCE;

    static Init kernel(Net.Act act) {
        return act == Net.Act.NONE ? LINEAR : HE;
    }

    boolean isKernel() {
        return this == HE || this == LINEAR;
    }

    /** The uniform range [lo, hi] values are drawn from, for a variable with this fan-in and gain. */
    float[] range(int fanIn, float gain) {
        return switch (this) {
            case HE -> symmetric((float) Math.sqrt(6.0 / fanIn) * gain);
            case LINEAR -> symmetric((float) Math.sqrt(3.0 / fanIn) * gain);
            case BIAS, BETA, MEAN -> symmetric(0.05f * gain);
            case GAMMA -> new float[] {0.8f * gain, 1.2f * gain};
            case VARIANCE -> new float[] {0.8f, 1.2f};
        };
    }

    private static float[] symmetric(float a) {
        return new float[] {-a, a};
    }
}
