package slimbench.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What is benchmarked for a model: a precision of the graph itself, or TF-TRT FP16, which runs the
 * FP32 graph through TensorFlow's TensorRT rewriter where the runtime has it.
 */
public enum Variant {
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

    public String label() {
        return label;
    }

    /** The precision of the model file this variant loads. */
    public Precision precision() {
        return precision;
    }

    public static Variant of(String label) {
        for (Variant v : values()) {
            if (v.label.equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + label + "'; valid: "
                + Arrays.stream(values()).map(Variant::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
