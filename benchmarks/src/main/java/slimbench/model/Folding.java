package slimbench.model;

/**
 * The pass an {@code ahead} graph makes over the weights: batch norm folded into the convolution
 * before it, {@code w' = w * gamma / sqrt(var + eps)} per output channel and one bias
 * {@code beta - mean * gamma / sqrt(var + eps)}, what TensorFlow's remapper does at load.
 */
final class Folding {
    /** A folded kernel and its bias. */
    record Folded(float[] kernel, float[] bias) {}

    private Folding() {}

    /**
     * @param kernel the filter, output channel fastest (TensorFlow's HWIO layout); not changed
     * @param gamma  null when the batch norm has none (scale 1)
     */
    static Folded batchNorm(float[] kernel, int cout, float[] gamma, float[] beta, float[] mean, float[] variance,
                            float epsilon) {
        float[] k = kernel.clone();
        float[] b = new float[cout];
        for (int o = 0; o < cout; o++) {
            float s = (float) ((gamma == null ? 1.0 : gamma[o]) / Math.sqrt(variance[o] + (double) epsilon));
            b[o] = beta[o] - mean[o] * s;
            for (int i = o; i < k.length; i += cout) {
                k[i] *= s;
            }
        }
        return new Folded(k, b);
    }
}
