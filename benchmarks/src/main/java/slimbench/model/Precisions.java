package slimbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;

/** Float arrays to the little-endian bytes of a TensorProto's {@code tensor_content}. */
final class Precisions {
    private Precisions() {}

    /** Bytes per element of the types the zoo stores. */
    static int bytesPerElement(DataType dtype) {
        return switch (dtype) {
            case DT_FLOAT, DT_INT32 -> 4;
            case DT_HALF, DT_BFLOAT16 -> 2;
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        };
    }

    static byte[] encode(float[] values, DataType dtype) {
        return switch (dtype) {
            case DT_FLOAT -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                yield b.array();
            }
            case DT_HALF, DT_BFLOAT16 -> {
                byte[] out = new byte[values.length * 2];
                boolean half = dtype == DataType.DT_HALF;
                for (int i = 0; i < values.length; i++) {
                    short s = half ? toHalf(values[i]) : toBfloat16(values[i]);
                    out[2 * i] = (byte) s;
                    out[2 * i + 1] = (byte) (s >> 8);
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        };
    }

    /** IEEE binary16, round to nearest even (what TensorFlow's Cast does). */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7e00);
        }
        int abs = bits & 0x7fffffff;
        if (abs >= 0x477ff000) { // >= 65520 rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x33000001) { // < 2^-25 (half the smallest subnormal) rounds to zero
            return (short) sign;
        }
        int exp = (abs >>> 23) - 127;
        int mantissa = (abs & 0x7fffff) | 0x800000;
        int shift;
        int e;
        if (exp < -14) { // subnormal in half
            shift = 13 + (-14 - exp);
            e = 0;
        } else {
            shift = 13;
            e = exp + 15;
            mantissa &= 0x7fffff;
        }
        int m = mantissa >>> shift;
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        int result = (e << 10) + m;
        if (rest > halfway || (rest == halfway && (m & 1) != 0)) {
            result++; // may carry into the exponent, which is the right answer
        }
        return (short) (sign | result);
    }

    /** bfloat16, round to nearest even. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        bits += 0x7fff + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }
}
