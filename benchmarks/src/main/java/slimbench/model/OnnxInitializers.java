package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import slimbench.model.OnnxProto.Message;

/**
 * The constants of an {@link OnnxExport}: TensorFlow's {@code Const} nodes become ONNX
 * initializers on first use, in the layout their consumer needs (a filter HWIO to OIHW, a
 * per-channel vector {@code [C, 1, 1]} against an NCHW value), their bytes wrapped as the graph
 * holds them unless a transposition makes new ones; int32 constants that ONNX takes as attributes or
 * int64 inputs (axes, paddings, shapes) are read, not emitted.
 */
final class OnnxInitializers {
    private final Map<String, NodeDef> constants = new HashMap<>();
    /** Each constant emitted, with the layout it was emitted in: a second use must agree. */
    private final Map<String, Layout> emitted = new HashMap<>();
    private final List<Message> initializers = new ArrayList<>();

    /** How a constant is laid out for its ONNX consumer. */
    enum Layout { AS_IS, CHANNELS, FILTER, DEPTHWISE }

    void add(NodeDef constant) {
        constants.put(constant.getName(), constant);
    }

    List<Message> list() {
        return initializers;
    }

    boolean isConstant(String input) {
        return constants.containsKey(MappedWeights.nodeName(input));
    }

    /** The shape of the constant an input names. */
    int[] shapeOf(String input) {
        return shapeOf(node(input));
    }

    private NodeDef node(String input) {
        NodeDef c = constants.get(MappedWeights.nodeName(input));
        if (c == null) {
            throw new IllegalArgumentException("input " + input + " is not a constant");
        }
        return c;
    }

    /** The initializer of a {@code Const} in the layout its consumer needs, emitted on first use. */
    String constant(String input, Layout layout) {
        NodeDef c = node(input);
        String name = c.getName();
        Layout before = emitted.putIfAbsent(name, layout);
        if (before != null) {
            if (before != layout) {
                throw new IllegalStateException("constant " + name + " is used as both " + before + " and " + layout);
            }
            return name;
        }
        TensorProto t = c.getAttrOrThrow("value").getTensor();
        int[] shape = shapeOf(c);
        int type = onnxType(t.getDtype());
        ByteString raw = t.getTensorContent();
        long[] dims = switch (layout) {
            case AS_IS -> toLongs(shape);
            case CHANNELS -> shape.length == 1 ? new long[] {shape[0], 1, 1} : toLongs(shape);
            case FILTER -> new long[] {shape[3], shape[2], shape[0], shape[1]};
            case DEPTHWISE -> new long[] {(long) shape[2] * shape[3], 1, shape[0], shape[1]};
        };
        if (layout == Layout.FILTER || layout == Layout.DEPTHWISE) {
            int in = layout == Layout.FILTER ? shape[2] : 1;
            int out = layout == Layout.FILTER ? shape[3] : shape[2] * shape[3];
            raw = hwioToOihw(raw, shape[0], shape[1], in, out, Precisions.bytesPerElement(t.getDtype()));
        }
        initializers.add(OnnxProto.tensor(name, type, dims, raw));
        return name;
    }

    /**
     * A filter from TensorFlow's {@code [kh, kw, in, out]} to ONNX's {@code [out, in, kh, kw]},
     * element by element whatever its width (a depthwise filter is {@code in = 1, out = C * m}:
     * TensorFlow's output channel {@code c * m + j} is ONNX's, group {@code c}).
     */
    static ByteString hwioToOihw(ByteString raw, int kh, int kw, int in, int out, int width) {
        ByteBuffer src = raw.asReadOnlyByteBuffer(); // the graph's bytes, not a copy: vgg's fc6 alone is 411 MB
        byte[] dst = new byte[raw.size()];
        for (int h = 0; h < kh; h++) {
            for (int w = 0; w < kw; w++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int from = (((h * kw + w) * in + i) * out + o) * width;
                        int to = (((o * in + i) * kh + h) * kw + w) * width;
                        src.get(from, dst, to, width);
                    }
                }
            }
        }
        return UnsafeByteOperations.unsafeWrap(dst);
    }

    String scalar(String name, float value, DataType t) {
        initializers.add(OnnxProto.tensor(name, onnxType(t), new long[0],
                UnsafeByteOperations.unsafeWrap(Precisions.encode(new float[] {value}, t))));
        return name;
    }

    String int64s(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        initializers.add(OnnxProto.tensor(name, OnnxProto.INT64, new long[] {v.length}, UnsafeByteOperations.unsafeWrap(b.array())));
        return name;
    }

    /** An int32 constant's values (axes, paddings, shapes). */
    int[] ints(String input) {
        TensorProto t = node(input).getAttrOrThrow("value").getTensor();
        if (t.getIntValCount() > 0) {
            return t.getIntValList().stream().mapToInt(Integer::intValue).toArray();
        }
        ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    private static int[] shapeOf(NodeDef c) {
        return c.getAttrOrThrow("value").getTensor().getTensorShape().getDimList().stream()
                .mapToInt(d -> (int) d.getSize()).toArray();
    }

    private static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    static int onnxType(DataType t) {
        return switch (t) {
            case DT_FLOAT -> OnnxProto.FLOAT;
            case DT_HALF -> OnnxProto.FLOAT16;
            case DT_UINT8 -> OnnxProto.UINT8;
            default -> throw new IllegalArgumentException("no ONNX model is written in " + t
                    + ": ONNX models are fp32 or fp16");
        };
    }
}
