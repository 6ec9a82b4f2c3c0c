package slimbench.model;

import org.tensorflow.proto.DataType;

/** The numeric precision weights are stored and computed in. */
public enum Precision {
    FP32(DataType.DT_FLOAT, 4),
    FP16(DataType.DT_HALF, 2),
    BF16(DataType.DT_BFLOAT16, 2);

    private final DataType dataType;
    private final int bytes;

    Precision(DataType dataType, int bytes) {
        this.dataType = dataType;
        this.bytes = bytes;
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
