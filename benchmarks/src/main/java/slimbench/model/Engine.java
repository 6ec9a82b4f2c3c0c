package slimbench.model;

/**
 * The inference engine a cell runs its model on: one axis of the matrix, spelled as results.csv's
 * {@code runtime} column spells it. A results file from before the column ran on TensorFlow.
 */
public enum Engine implements Labelled {
    TENSORFLOW("tensorflow"),
    /**
     * ONNX Runtime's CPU provider on the model's ONNX file: the translation of the {@code ahead}
     * graph ({@code OnnxExport}), optimised again by ONNX Runtime at load, so its cells are made
     * once with optimize {@code ahead} whatever the optimize axis holds; fp32 and fp16, and
     * tftrt-fp16 as the fp32 file on its TensorRT provider where the GPU build runs ({@code bench.TensorRtProvider}).
     */
    ONNXRUNTIME("onnxruntime"),
    /**
     * The machine's own TensorRT through its {@code trtexec} ({@code slimbench.tensorrt}) on the
     * model's ONNX file: fp32, and fp16 as TensorRT's FP16 mode, the like of 2019's TF-TRT FP16;
     * {@code at-load} builds the engine in every run, {@code ahead} builds it once and loads it.
     */
    TENSORRT("tensorrt");

    /** What a cell, a results row or a recorded run that names no engine ran on. */
    public static final Engine DEFAULT = TENSORFLOW;

    private final String label;

    Engine(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static Engine of(String label) {
        return Labelled.of(Engine.class, "runtime", label);
    }

    @Override
    public String toString() {
        return label;
    }
}
