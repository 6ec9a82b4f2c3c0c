package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import slimbench.model.OnnxProto.Message;

/**
 * The ONNX model of a network, translated node by node from the folded ({@code ahead}) GraphDef
 * the builder makes for TensorFlow: the runtimes then run the same weights (seeded or restored),
 * the same preprocessing inside the graph and the same {@code input}/{@code scores} interface.
 * Translating the one graph, rather than writing a second one from {@link Net}, keeps a single
 * description of each architecture; the folded graph is the one to translate because batch norm is
 * already in the filters, as ONNX Runtime's own fusion would put it.
 *
 * <p>Layout: TensorFlow's graph is NHWC, ONNX's {@code Conv} NCHW. The uint8 image is transposed
 * once after the input and every 4-D value is NCHW from there: filters go from HWIO to OIHW (a
 * depthwise filter to {@code [C*m, 1, kh, kw]} with {@code group = C}), per-channel vectors
 * broadcast as {@code [C, 1, 1]}, axes are renumbered, and a flatten goes back to NHWC first so
 * a fully connected layer sees its inputs in TensorFlow's order. {@code SAME} padding is ONNX's
 * {@code SAME_UPPER} (the odd pixel at the end, as TensorFlow pads), and an average pool excludes
 * the padding from its count, as TensorFlow's does.
 *
 * <p>Opset 17: every op used is in it with the signature written here, and ONNX Runtime 1.22 runs it.
 */
final class OnnxExport {
    static final long OPSET = 17;

    /** What the translation knows of a value: its rank (4 is NCHW) and ONNX element type. */
    private record Value(String name, int rank, int type) {}

    private final Map<String, NodeDef> constants = new HashMap<>();
    /** Each constant emitted, with the layout it was emitted in: a second use must agree. */
    private final Map<String, String> emitted = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final List<Message> nodes = new ArrayList<>();
    private final List<Message> initializers = new ArrayList<>();
    private final List<Message> inputs = new ArrayList<>();
    private final List<Message> outputs = new ArrayList<>();
    private final int classes;

    private OnnxExport(int classes) {
        this.classes = classes;
    }

    /** The ONNX model of a built network ({@code built.graph()} folded, in fp32 or fp16). */
    static Message of(Model.Built built, String producer) {
        OnnxExport x = new OnnxExport(built.model().classes(built.scale()));
        for (NodeDef n : built.graph().getNodeList()) {
            x.translate(n);
        }
        if (x.inputs.isEmpty() || x.outputs.isEmpty()) {
            throw new IllegalArgumentException("the graph has no '" + Model.INPUT + "' or no '" + Model.OUTPUT + "' node");
        }
        return OnnxProto.model(OnnxProto.graph(built.model().label(), x.nodes, x.initializers, x.inputs, x.outputs),
                OPSET, producer);
    }

    private void translate(NodeDef n) {
        String name = n.getName();
        switch (n.getOp()) {
            case "Const" -> constants.put(name, n);
            case "Placeholder" -> input(n);
            case "Cast" -> {
                Value x = operand(n, 0);
                int to = onnxType(n.getAttrOrThrow("DstT").getType());
                emit("Cast", name, name, List.of(x.name), x.rank, to, OnnxProto.intAttr("to", to));
            }
            case "Mul" -> binary(n, "Mul");
            case "Sub" -> binary(n, "Sub");
            case "AddV2", "BiasAdd" -> binary(n, "Add");
            case "Relu" -> activation(name, name, operand(n, 0), "Relu");
            case "Relu6" -> activation(name, name, operand(n, 0), "Relu6");
            case "Conv2D", "DepthwiseConv2dNative" -> conv(n, name, null);
            case "_FusedConv2D" -> fusedConv(n);
            case "FusedBatchNormV3" -> batchNorm(n);
            case "MaxPool" -> pool(n, "MaxPool");
            case "AvgPool" -> pool(n, "AveragePool");
            case "Mean" -> {
                Value x = operand(n, 0);
                long[] axes = nchwAxes(ints(n.getInput(1)));
                boolean keep = n.getAttrOrThrow("keep_dims").getB();
                emit("ReduceMean", name, name, List.of(x.name), keep ? x.rank : x.rank - axes.length, x.type,
                        OnnxProto.intsAttr("axes", axes), OnnxProto.intAttr("keepdims", keep ? 1 : 0));
            }
            case "Pad" -> pad(n);
            case "ConcatV2" -> concat(n);
            case "Reshape" -> flatten(n);
            case "MatMul" -> {
                Value x = operand(n, 0);
                emit("MatMul", name, name, List.of(x.name, constant(n.getInput(1), Layout.AS_IS)), 2, x.type);
            }
            case "Squeeze" -> {
                Value x = operand(n, 0);
                long[] axes = nchwAxes(intsOf(n.getAttrOrThrow("squeeze_dims")));
                String axesName = int64s(name + "#axes", axes);
                emit("Squeeze", name, name, List.of(x.name, axesName), x.rank - axes.length, x.type);
            }
            case "Softmax" -> {
                Value x = operand(n, 0);
                emit("Softmax", name, name, List.of(x.name), x.rank, x.type, OnnxProto.intAttr("axis", -1));
                if (name.equals(Model.OUTPUT)) {
                    outputs.add(OnnxProto.valueInfo(name, x.type, 1, classes));
                }
            }
            default -> throw new IllegalArgumentException("no ONNX translation for op " + n.getOp() + " (node " + name + ")");
        }
    }

    // ---------------------------------------------------------------- ops

    /** The uint8 NHWC image, and its NCHW transpose that every layer reads. */
    private void input(NodeDef n) {
        var dims = n.getAttrOrThrow("shape").getShape().getDimList();
        long[] shape = dims.stream().mapToLong(d -> d.getSize()).toArray();
        int type = onnxType(n.getAttrOrThrow("dtype").getType());
        inputs.add(OnnxProto.valueInfo(n.getName(), type, shape));
        String nchw = n.getName() + "#nchw";
        nodes.add(OnnxProto.node("Transpose", nchw, List.of(n.getName()), nchw,
                List.of(OnnxProto.intsAttr("perm", 0, 3, 1, 2))));
        values.put(n.getName(), new Value(nchw, 4, type));
    }

    /** An elementwise op; a per-channel constant against a 4-D value broadcasts as {@code [C, 1, 1]}. */
    private void binary(NodeDef n, String op) {
        String a = n.getInput(0);
        String b = n.getInput(1);
        Value x = isConstant(a) ? operand(n, 1) : operand(n, 0);
        Layout layout = x.rank == 4 ? Layout.CHANNELS : Layout.AS_IS;
        String left = isConstant(a) ? constant(a, layout) : x.name;
        String right = isConstant(b) ? constant(b, layout) : values(b).name;
        emit(op, n.getName(), n.getName(), List.of(left, right), x.rank, x.type);
    }

    /** Relu, or Relu6 as a Clip to [0, 6] in the value's own type. */
    private void activation(String node, String out, Value x, String op) {
        if (op.equals("Relu")) {
            emit("Relu", node, out, List.of(x.name), x.rank, x.type);
            return;
        }
        DataType t = x.type == OnnxProto.FLOAT16 ? DataType.DT_HALF : DataType.DT_FLOAT;
        String min = scalar(node + "#min", 0f, t);
        String max = scalar(node + "#max", 6f, t);
        emit("Clip", node, out, List.of(x.name, min, max), x.rank, x.type);
    }

    /** A convolution (depthwise when the op says so), with a bias input when {@code bias} is given. */
    private Value conv(NodeDef n, String out, String bias) {
        Value x = operand(n, 0);
        String w = n.getInput(1);
        int[] shape = shapeOf(constants.get(MappedWeights.nodeName(w)));
        boolean depthwise = n.getOp().contains("Depthwise");
        List<String> in = new ArrayList<>(List.of(x.name, constant(w, depthwise ? Layout.DEPTHWISE : Layout.FILTER)));
        if (bias != null) {
            in.add(constant(bias, Layout.AS_IS));
        }
        List<Message> attrs = new ArrayList<>(window(n, shape[0], shape[1]));
        if (depthwise) {
            attrs.add(OnnxProto.intAttr("group", shape[2]));
        }
        return emit("Conv", n.getName() + (out.equals(n.getName()) ? "" : "#conv"), out, in, 4, x.type,
                attrs.toArray(Message[]::new));
    }

    /** {@code _FusedConv2D}: the convolution with its bias, then the activation its {@code fused_ops} name. */
    private void fusedConv(NodeDef n) {
        List<String> ops = n.getAttrOrThrow("fused_ops").getList().getSList().stream().map(ByteString::toStringUtf8).toList();
        if (ops.isEmpty() || !ops.get(0).equals("BiasAdd") || ops.size() > 2) {
            throw new IllegalArgumentException("no ONNX translation for _FusedConv2D with " + ops + " (node " + n.getName() + ")");
        }
        if (ops.size() == 1) {
            conv(n, n.getName(), n.getInput(2));
            return;
        }
        Value c = conv(n, n.getName() + "#conv", n.getInput(2));
        activation(n.getName(), n.getName(), c, ops.get(1));
    }

    /**
     * An inference batch norm. Its statistics are float32 whatever the precision, as TensorFlow's
     * kernel takes them and computes: a half value is cast to float around it, as that kernel does.
     */
    private void batchNorm(NodeDef n) {
        Value x = operand(n, 0);
        List<String> in = new ArrayList<>();
        boolean half = x.type == OnnxProto.FLOAT16;
        String xf = x.name;
        if (half) {
            xf = emit("Cast", n.getName() + "#tofloat", n.getName() + "#tofloat", List.of(x.name), 4, OnnxProto.FLOAT,
                    OnnxProto.intAttr("to", OnnxProto.FLOAT)).name;
        }
        in.add(xf);
        for (int i = 1; i <= 4; i++) {
            in.add(constant(n.getInput(i), Layout.AS_IS));
        }
        String out = half ? n.getName() + "#float" : n.getName();
        emit("BatchNormalization", n.getName() + (half ? "#float" : ""), out, in, 4, OnnxProto.FLOAT,
                OnnxProto.floatAttr("epsilon", n.getAttrOrThrow("epsilon").getF()));
        if (half) {
            emit("Cast", n.getName(), n.getName(), List.of(out), 4, OnnxProto.FLOAT16,
                    OnnxProto.intAttr("to", OnnxProto.FLOAT16));
        }
    }

    private void pool(NodeDef n, String op) {
        Value x = operand(n, 0);
        List<Long> k = n.getAttrOrThrow("ksize").getList().getIList();
        List<Message> attrs = new ArrayList<>(window(n, k.get(1).intValue(), k.get(2).intValue()));
        if (op.equals("AveragePool")) {
            attrs.add(OnnxProto.intAttr("count_include_pad", 0));
        }
        emit(op, n.getName(), n.getName(), List.of(x.name), 4, x.type, attrs.toArray(Message[]::new));
    }

    /** Kernel shape, strides and padding of a convolution or pool. */
    private static List<Message> window(NodeDef n, int kh, int kw) {
        List<Long> s = n.getAttrOrThrow("strides").getList().getIList();
        String padding = n.getAttrOrThrow("padding").getS().toStringUtf8();
        String autoPad = switch (padding) {
            case "SAME" -> "SAME_UPPER";
            case "VALID" -> "VALID";
            default -> throw new IllegalArgumentException("no ONNX translation for padding " + padding + " (node " + n.getName() + ")");
        };
        return List.of(OnnxProto.intsAttr("kernel_shape", kh, kw), OnnxProto.intsAttr("strides", s.get(1), s.get(2)),
                OnnxProto.stringAttr("auto_pad", autoPad));
    }

    /** {@code Pad}: TensorFlow's {@code [[before, after]] per NHWC axis} as ONNX's begins then ends, NCHW. */
    private void pad(NodeDef n) {
        Value x = operand(n, 0);
        int[] p = ints(n.getInput(1));
        int[] nhwcOf = {0, 3, 1, 2};
        long[] pads = new long[8];
        for (int axis = 0; axis < 4; axis++) {
            pads[axis] = p[2 * nhwcOf[axis]];
            pads[4 + axis] = p[2 * nhwcOf[axis] + 1];
        }
        emit("Pad", n.getName(), n.getName(), List.of(x.name, int64s(n.getName() + "#pads", pads)), 4, x.type,
                OnnxProto.stringAttr("mode", "constant"));
    }

    private void concat(NodeDef n) {
        int count = n.getInputCount() - 1;
        List<String> in = new ArrayList<>();
        Value first = operand(n, 0);
        for (int i = 0; i < count; i++) {
            in.add(operand(n, i).name);
        }
        long axis = nchwAxes(ints(n.getInput(count)))[0];
        emit("Concat", n.getName(), n.getName(), in, first.rank, first.type, OnnxProto.intAttr("axis", axis));
    }

    /** A flatten: back to NHWC first, so the matrix that follows sees TensorFlow's order. */
    private void flatten(NodeDef n) {
        Value x = operand(n, 0);
        String source = x.name;
        if (x.rank == 4) {
            source = emit("Transpose", n.getName() + "#nhwc", n.getName() + "#nhwc", List.of(x.name), 4, x.type,
                    OnnxProto.intsAttr("perm", 0, 2, 3, 1)).name;
        }
        int[] shape = ints(n.getInput(1));
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        emit("Reshape", n.getName(), n.getName(), List.of(source, int64s(n.getName() + "#shape", dims)),
                shape.length, x.type);
    }

    private Value emit(String op, String node, String out, List<String> in, int rank, int type, Message... attrs) {
        nodes.add(OnnxProto.node(op, node, in, out, List.of(attrs)));
        Value v = new Value(out, rank, type);
        values.put(out, v);
        return v;
    }

    // ---------------------------------------------------------------- operands and constants

    /** How a constant is laid out for its ONNX consumer. */
    private enum Layout { AS_IS, CHANNELS, FILTER, DEPTHWISE }

    private boolean isConstant(String input) {
        return constants.containsKey(MappedWeights.nodeName(input));
    }

    /** The value a node's input names, already translated (the graph is in topological order). */
    private Value operand(NodeDef n, int i) {
        return values(n.getInput(i));
    }

    private Value values(String input) {
        Value v = values.get(MappedWeights.nodeName(input));
        if (v == null) {
            throw new IllegalArgumentException("input " + input + " is not a translated value (the graph is not in order)");
        }
        return v;
    }

    /** The initializer of a {@code Const} in the layout its consumer needs, emitted on first use. */
    private String constant(String input, Layout layout) {
        String name = MappedWeights.nodeName(input);
        NodeDef c = constants.get(name);
        if (c == null) {
            throw new IllegalArgumentException("input " + input + " is not a constant");
        }
        String before = emitted.putIfAbsent(name, layout.name());
        if (before != null) {
            if (!before.equals(layout.name())) {
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
        byte[] src = raw.toByteArray();
        byte[] dst = new byte[src.length];
        for (int h = 0; h < kh; h++) {
            for (int w = 0; w < kw; w++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        int from = (((h * kw + w) * in + i) * out + o) * width;
                        int to = (((o * in + i) * kh + h) * kw + w) * width;
                        System.arraycopy(src, from, dst, to, width);
                    }
                }
            }
        }
        return UnsafeByteOperations.unsafeWrap(dst);
    }

    private String scalar(String name, float value, DataType t) {
        initializers.add(OnnxProto.tensor(name, onnxType(t), new long[0],
                UnsafeByteOperations.unsafeWrap(Precisions.encode(new float[] {value}, t))));
        return name;
    }

    private String int64s(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        initializers.add(OnnxProto.tensor(name, OnnxProto.INT64, new long[] {v.length}, UnsafeByteOperations.unsafeWrap(b.array())));
        return name;
    }

    /** An int32 constant's values (axes, paddings, shapes). */
    private int[] ints(String input) {
        NodeDef c = constants.get(MappedWeights.nodeName(input));
        if (c == null) {
            throw new IllegalArgumentException("input " + input + " is not a constant");
        }
        TensorProto t = c.getAttrOrThrow("value").getTensor();
        if (t.getIntValCount() > 0) {
            return t.getIntValList().stream().mapToInt(Integer::intValue).toArray();
        }
        ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    private static int[] intsOf(AttrValue a) {
        return a.getList().getIList().stream().mapToInt(Long::intValue).toArray();
    }

    /** NHWC axes as NCHW numbers them. */
    private static long[] nchwAxes(int[] nhwc) {
        long[] nchwOf = {0, 2, 3, 1};
        long[] a = new long[nhwc.length];
        for (int i = 0; i < nhwc.length; i++) {
            a[i] = nchwOf[nhwc[i]];
        }
        return a;
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

    private static int onnxType(DataType t) {
        return switch (t) {
            case DT_FLOAT -> OnnxProto.FLOAT;
            case DT_HALF -> OnnxProto.FLOAT16;
            case DT_UINT8 -> OnnxProto.UINT8;
            default -> throw new IllegalArgumentException("no ONNX model is written in " + t
                    + ": ONNX models are fp32 or fp16");
        };
    }
}
