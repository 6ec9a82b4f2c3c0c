package slimbench.model;


/**
 * What is benchmarked for a model: a precision of the graph itself, or TF-TRT FP16, which runs the
 * FP32 graph through TensorFlow's TensorRT rewriter where the runtime has it.
 */
public enum Variant implements Labelled {
    FP32("fp32", Precision.FP32),
    FP16("fp16", Precision.FP16),
    BF16("bf16", Precision.BF16),
    TFTRT_FP16("tftrt-fp16", Precision.FP32);

    private final String label;
    private final Precision precision;

    Variant(String label, Precision precision) {
        this.label = label;
        this.precision = precision;
    }

    @Override
    public String label() {
        return label;
    }

    /** The precision of the model file this variant loads. */
    public Precision precision() {
        return precision;
    }

    public static Variant of(String label) {
        return Labelled.of(Variant.class, "variant", label);
    }

    @Override
    public String toString() {
        return label;
    }
}
