package slimbench.model;

import org.tensorflow.proto.DataType;

/** The numeric precision weights are stored and computed in. */
public enum Precision {
    FP32(DataType.DT_FLOAT, 4, 24),
    FP16(DataType.DT_HALF, 2, 11),
    BF16(DataType.DT_BFLOAT16, 2, 8);

    private final DataType dataType;
    private final int bytes;
    private final int significandBits;

    Precision(DataType dataType, int bytes, int significandBits) {
        this.dataType = dataType;
        this.bytes = bytes;
        this.significandBits = significandBits;
    }

    /** Significant bits, the implicit leading one included: what sets the format's rounding error. */
    public int significandBits() {
        return significandBits;
    }

    public DataType dataType() {
        return dataType;
    }

    public int bytes() {
        return bytes;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
