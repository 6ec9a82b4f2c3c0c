package slimbench.model;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import slimbench.model.OnnxInitializers.Layout;
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
 * <p>Opset 17 ({@link OnnxForm#UINT8_IMAGE}): every op used is in it with the signature written here,
 * and ONNX Runtime 1.22 runs it. Every op keeps that signature down to opset 13, which
 * {@link OnnxForm#FLOAT_IMAGE} is written at, with a float32 input whose cast to float is then no node.
 */
final class OnnxExport {

    /** What the translation knows of a value: its rank (4 is NCHW) and ONNX element type. */
    private record Value(String name, int rank, int type) {}

    private final OnnxInitializers constants = new OnnxInitializers();
    private final Map<String, Value> values = new HashMap<>();
    private final List<Message> nodes = new ArrayList<>();
    private final List<Message> inputs = new ArrayList<>();
    private final List<Message> outputs = new ArrayList<>();
    private final int classes;
    private final OnnxForm form;

    private OnnxExport(int classes, OnnxForm form) {
        this.classes = classes;
        this.form = form;
    }

    /** The ONNX model of a built network ({@code built.graph()} folded, in fp32 or fp16), in a form. */
    static Message of(Model.Built built, String producer, OnnxForm form) {
        OnnxExport x = new OnnxExport(built.model().classes(built.scale()), form);
        for (NodeDef n : built.graph().getNodeList()) {
            x.translate(n);
        }
        if (x.inputs.isEmpty() || x.outputs.isEmpty()) {
            throw new IllegalArgumentException("the graph has no '" + Model.INPUT + "' or no '" + Model.OUTPUT + "' node");
        }
        return OnnxProto.model(OnnxProto.graph(built.model().label(), x.nodes, x.constants.list(), x.inputs, x.outputs),
                form.opset(), producer);
    }

    private void translate(NodeDef n) {
        String name = n.getName();
        switch (n.getOp()) {
            case "Const" -> constants.add(n);
            case "Placeholder" -> input(n);
            case "Cast" -> {
                Value x = operand(n, 0);
                int to = OnnxInitializers.onnxType(n.getAttrOrThrow("DstT").getType());
                if (to == x.type) { // the float image's cast to float: the value itself
                    values.put(name, x);
                } else {
                    emit("Cast", name, name, List.of(x.name), x.rank, to, OnnxProto.intAttr("to", to));
                }
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
                long[] axes = nchwAxes(constants.ints(n.getInput(1)));
                boolean keep = n.getAttrOrThrow("keep_dims").getB();
                emit("ReduceMean", name, name, List.of(x.name), keep ? x.rank : x.rank - axes.length, x.type,
                        OnnxProto.intsAttr("axes", axes), OnnxProto.intAttr("keepdims", keep ? 1 : 0));
            }
            case "Pad" -> pad(n);
            case "ConcatV2" -> concat(n);
            case "Reshape" -> flatten(n);
            case "MatMul" -> {
                Value x = operand(n, 0);
                emit("MatMul", name, name, List.of(x.name, constants.constant(n.getInput(1), Layout.AS_IS)), 2, x.type);
            }
            case "Squeeze" -> {
                Value x = operand(n, 0);
                long[] axes = nchwAxes(intsOf(n.getAttrOrThrow("squeeze_dims")));
                String axesName = constants.int64s(name + "#axes", axes);
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

    /** The NHWC image (uint8, or float32 in {@link OnnxForm#FLOAT_IMAGE}), and its NCHW transpose that every layer reads. */
    private void input(NodeDef n) {
        var dims = n.getAttrOrThrow("shape").getShape().getDimList();
        long[] shape = dims.stream().mapToLong(d -> d.getSize()).toArray();
        int type = form == OnnxForm.FLOAT_IMAGE ? OnnxProto.FLOAT : OnnxInitializers.onnxType(n.getAttrOrThrow("dtype").getType());
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
        Value x = constants.isConstant(a) ? operand(n, 1) : operand(n, 0);
        Layout layout = x.rank == 4 ? Layout.CHANNELS : Layout.AS_IS;
        String left = constants.isConstant(a) ? constants.constant(a, layout) : x.name;
        String right = constants.isConstant(b) ? constants.constant(b, layout) : values(b).name;
        emit(op, n.getName(), n.getName(), List.of(left, right), x.rank, x.type);
    }

    /** Relu, or Relu6 as a Clip to [0, 6] in the value's own type. */
    private void activation(String node, String out, Value x, String op) {
        if (op.equals("Relu")) {
            emit("Relu", node, out, List.of(x.name), x.rank, x.type);
            return;
        }
        DataType t = x.type == OnnxProto.FLOAT16 ? DataType.DT_HALF : DataType.DT_FLOAT;
        String min = constants.scalar(node + "#min", 0f, t);
        String max = constants.scalar(node + "#max", 6f, t);
        emit("Clip", node, out, List.of(x.name, min, max), x.rank, x.type);
    }

    /** A convolution (depthwise when the op says so), with a bias input when {@code bias} is given. */
    private Value conv(NodeDef n, String out, String bias) {
        Value x = operand(n, 0);
        String w = n.getInput(1);
        int[] shape = constants.shapeOf(w);
        boolean depthwise = n.getOp().contains("Depthwise");
        List<String> in = new ArrayList<>(List.of(x.name, constants.constant(w, depthwise ? Layout.DEPTHWISE : Layout.FILTER)));
        if (bias != null) {
            in.add(constants.constant(bias, Layout.AS_IS));
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
            in.add(constants.constant(n.getInput(i), Layout.AS_IS));
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
        int[] p = constants.ints(n.getInput(1));
        int[] nhwcOf = {0, 3, 1, 2};
        long[] pads = new long[8];
        for (int axis = 0; axis < 4; axis++) {
            pads[axis] = p[2 * nhwcOf[axis]];
            pads[4 + axis] = p[2 * nhwcOf[axis] + 1];
        }
        emit("Pad", n.getName(), n.getName(), List.of(x.name, constants.int64s(n.getName() + "#pads", pads)), 4, x.type,
                OnnxProto.stringAttr("mode", "constant"));
    }

    private void concat(NodeDef n) {
        int count = n.getInputCount() - 1;
        List<String> in = new ArrayList<>();
        Value first = operand(n, 0);
        for (int i = 0; i < count; i++) {
            in.add(operand(n, i).name);
        }
        long axis = nchwAxes(constants.ints(n.getInput(count)))[0];
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
        int[] shape = constants.ints(n.getInput(1));
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        emit("Reshape", n.getName(), n.getName(), List.of(source, constants.int64s(n.getName() + "#shape", dims)),
                shape.length, x.type);
    }

    private Value emit(String op, String node, String out, List<String> in, int rank, int type, Message... attrs) {
        nodes.add(OnnxProto.node(op, node, in, out, List.of(attrs)));
        Value v = new Value(out, rank, type);
        values.put(out, v);
        return v;
    }

    // ---------------------------------------------------------------- operands

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
}
