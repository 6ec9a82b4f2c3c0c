package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * The layer helpers every architecture is written with, emitting a frozen TensorFlow GraphDef
 * directly as protobuf: weights become {@code Const} nodes named exactly as slim's variables, ops
 * are named as slim names them ({@code <scope>/Conv2D}, {@code <scope>/BatchNorm/FusedBatchNormV3}).
 *
 * <p>Writing the proto ourselves (rather than through a native {@code Graph}) keeps generation
 * deterministic to the byte, lean on memory (each weight array is wrapped, never copied) and
 * independent of the native library. Every layer also records its variables and MACs, so the
 * same code counts a full-size model without materialising a single weight ({@code weights == null}).
 *
 * <p>The variant decides how layers are lowered: the precision of weights and compute, and for
 * {@link Optimize#AHEAD} batch norm folded into the convolution, with a float conv, bias and
 * activation emitted as one {@code _FusedConv2D}. Half and bfloat16 chains stay separate nodes,
 * because only oneDNN fuses them, and only on some CPUs: {@code bench.OneDnnBinding} fuses them at
 * load where it runs the type.
 */
public final class Net {
    /** A tensor of the graph being built: its node name and NHWC shape (batch is always 1). */
    public record T(String node, int h, int w, int c) {
        T withNode(String n) {
            return new T(n, h, w, c);
        }
    }

    /** Padding as TensorFlow defines it. */
    public enum Pad { SAME, VALID }

    /** The activation after a layer. */
    public enum Act { NONE, RELU, RELU6 }

    /** What follows the convolution: batch norm (with or without gamma), a bias, or nothing. */
    public record Norm(Kind kind, boolean gamma, float epsilon, float gain) {
        public enum Kind { BATCH_NORM, BIAS, NONE }

        public static Norm batchNorm(boolean gamma, float epsilon) {
            return new Norm(Kind.BATCH_NORM, gamma, epsilon, 1f);
        }

        public static final Norm BIAS = new Norm(Kind.BIAS, false, 0f, 1f);
        public static final Norm NONE = new Norm(Kind.NONE, false, 0f, 1f);

        /**
         * The same norm with the branch's output scaled by {@code g} at initialisation: residual
         * branches use it so that activations stay in range through 50 residual units in half precision.
         */
        public Norm gain(float g) {
            return new Norm(kind, gamma, epsilon, g);
        }
    }

    private final Scale scale;
    private final Precision precision;
    private final Optimize optimize;
    private final Weights weights;
    private final List<NodeDef.Builder> nodes = new ArrayList<>();
    private final java.util.Set<String> names = new java.util.HashSet<>();
    private final List<Variable> variables = new ArrayList<>();
    private long macs;
    private int unique;
    private float inputGain = 1f;

    /**
     * @param weights where weight values come from; {@code null} to only count variables and MACs
     */
    Net(Scale scale, Precision precision, Optimize optimize, Weights weights) {
        this.scale = scale;
        this.precision = precision;
        this.optimize = optimize;
        this.weights = weights;
    }

    /** A full-size channel count scaled by the width multiplier (never below 1). */
    public int ch(int fullSize) {
        return scale.channels(fullSize);
    }

    public int classes(int fullSize) {
        return scale.classes(fullSize);
    }

    List<Variable> variables() {
        return variables;
    }

    long macs() {
        return macs;
    }

    GraphDef graphDef() {
        GraphDef.Builder g = GraphDef.newBuilder();
        nodes.forEach(g::addNode);
        return g.setVersions(VersionDef.newBuilder().setProducer(1882)).build();
    }

    // ---------------------------------------------------------------- layers

    /** {@code slim.conv2d}: convolution, then batch norm or bias, then the activation. */
    public T conv(String scope, T x, int k, int cout, int stride, Pad pad, Norm norm, Act act) {
        return conv(scope, x, k, k, cout, stride, pad, norm, act);
    }

    /** {@code slim.conv2d} with a non-square kernel ({@code [1, 7]} and friends). */
    public T conv(String scope, T x, int kh, int kw, int cout, int stride, Pad pad, Norm norm, Act act) {
        norm = firstLayer(norm);
        Variable w = variable(scope + "/weights", Init.kernel(act), norm, kh, kw, x.c, cout);
        T y = shape(scope, x, kh, kw, stride, pad, cout);
        macs += (long) y.h * y.w * kh * kw * x.c * cout;
        return convLike(scope, "Conv2D", x, w, y, stride, pad, norm, act);
    }

    /** A depthwise-only {@code separable_conv2d} (channel multiplier 1), as mobilenets use it. */
    public T depthwise(String scope, T x, int k, int stride, Pad pad, Norm norm, Act act) {
        norm = firstLayer(norm);
        Variable w = variable(scope + "/depthwise_weights", Init.kernel(act), norm, k, k, x.c, 1);
        T y = shape(scope, x, k, k, stride, pad, x.c);
        macs += (long) y.h * y.w * k * k * x.c;
        return convLike(scope, "DepthwiseConv2dNative", x, w, y, stride, pad, norm, act);
    }

    /**
     * A full {@code separable_conv2d}: depthwise with a channel multiplier, then pointwise, then
     * bias and activation (inception_v2's stem).
     */
    public T separable(String scope, T x, int k, int multiplier, int cout, int stride, Pad pad, Act act) {
        Variable dw = variable(scope + "/depthwise_weights", Init.LINEAR, firstLayer(Norm.NONE), k, k, x.c, multiplier);
        Variable pw = variable(scope + "/pointwise_weights", Init.kernel(act), Norm.NONE, 1, 1, x.c * multiplier, cout);
        T mid = shape(scope, x, k, k, stride, pad, x.c * multiplier);
        macs += (long) mid.h * mid.w * k * k * x.c * multiplier + (long) mid.h * mid.w * x.c * multiplier * cout;
        Variable b = variable(scope + "/biases", Init.BIAS, Norm.NONE, cout);
        if (weights == null) {
            return new T(scope, mid.h, mid.w, cout);
        }
        String d = node(scope + "/separable_conv2d/depthwise", "DepthwiseConv2dNative", typed(),
                x.node, constant(dw, dw.name(), weights.values(dw)))
                .strides(stride).padding(pad).name;
        String p = node(scope + "/separable_conv2d", "Conv2D", typed(), d, constant(pw, pw.name(), weights.values(pw)))
                .strides(1).padding(Pad.VALID).name;
        String out = node(scope + "/BiasAdd", "BiasAdd", typed(), p, constant(b, b.name(), weights.values(b))).name;
        return new T(activation(scope, out, act), mid.h, mid.w, cout);
    }

    /** A fully connected layer on a flattened [1, C] input: {@code weights [C, out]} and biases. */
    public T fullyConnected(String scope, T x, int out) {
        int in = x.h * x.w * x.c;
        Variable w = variable(scope + "/weights", Init.LINEAR, Norm.NONE, in, out);
        Variable b = variable(scope + "/biases", Init.BIAS, Norm.NONE, out);
        macs += (long) in * out;
        if (weights == null) {
            return new T(scope, 1, 1, out);
        }
        String flat = node(scope + "/Flatten", "Reshape", typed(), x.node, intConst(scope + "/Flatten/shape", 1, in))
                .attr("Tshape", type(DataType.DT_INT32)).name;
        String mm = node(scope + "/MatMul", "MatMul", typed(), flat, constant(w, w.name(), weights.values(w))).name;
        return new T(node(scope + "/BiasAdd", "BiasAdd", typed(), mm, constant(b, b.name(), weights.values(b))).name,
                1, 1, out);
    }

    /** A batch norm (and activation) on its own, as resnet_v2's {@code preact} and {@code postnorm}. */
    public T batchNorm(String scope, T x, float epsilon, Act act) {
        Norm norm = Norm.batchNorm(true, epsilon);
        BatchNorm bn = batchNormVariables(scope, x.c, norm);
        if (weights == null) {
            return x.withNode(scope);
        }
        // Not _FusedBatchNormEx, what Grappler's remapper would make: its CPU kernel is an empty
        // stand-in for oneDNN's rewrite, so without oneDNN (aarch64) it outputs nothing.
        String y = fusedBatchNorm(scope, x.node, bn, norm);
        return x.withNode(activation(scope, y, act));
    }

    public T maxPool(String name, T x, int k, int stride, Pad pad) {
        return pool(name, "MaxPool", x, k, stride, pad);
    }

    public T avgPool(String name, T x, int k, int stride, Pad pad) {
        return pool(name, "AvgPool", x, k, stride, pad);
    }

    /** slim's head pool: the kernel shrinks to the feature map when the input is small. */
    public T globalAvgPool(String name, T x) {
        return avgPool(name, x, Math.min(x.h, x.w), 1, Pad.VALID);
    }

    /** {@code tf.reduce_mean(x, [1, 2], keep_dims=True)}, resnet's global pool. */
    public T mean(String name, T x) {
        if (weights == null) {
            return new T(name, 1, 1, x.c);
        }
        return new T(node(name, "Mean", typed(), x.node, intConst(name + "/reduction_indices", 1, 2))
                .attr("keep_dims", AttrValue.newBuilder().setB(true).build()).name, 1, 1, x.c);
    }

    /** Explicit spatial padding, as resnet_utils' {@code conv2d_same} does for strided convs. */
    public T pad(String name, T x, int before, int after) {
        if (weights == null) {
            return new T(name, x.h + before + after, x.w + before + after, x.c);
        }
        String paddings = intTensor(name + "/paddings", new int[] {0, 0, before, after, before, after, 0, 0}, 4, 2);
        return new T(node(name, "Pad", typed(), x.node, paddings).name,
                x.h + before + after, x.w + before + after, x.c);
    }

    public T concat(String name, T... xs) {
        int c = 0;
        for (T x : xs) {
            if (x.h != xs[0].h || x.w != xs[0].w) {
                throw new IllegalStateException(name + ": branches disagree on spatial size");
            }
            c += x.c;
        }
        if (weights == null) {
            return new T(name, xs[0].h, xs[0].w, c);
        }
        String[] inputs = new String[xs.length + 1];
        for (int i = 0; i < xs.length; i++) {
            inputs[i] = xs[i].node;
        }
        inputs[xs.length] = intConst(name + "/axis", 3);
        return new T(node(name, "ConcatV2", typed(), inputs)
                .attr("N", AttrValue.newBuilder().setI(xs.length).build())
                .attr("Tidx", type(DataType.DT_INT32)).name, xs[0].h, xs[0].w, c);
    }

    /** {@code act(x + scale * residual)}; scale 1 emits a plain add. */
    public T residual(String name, T x, T residual, float scale, Act act) {
        if (x.c != residual.c || x.h != residual.h) {
            throw new IllegalStateException(name + ": residual shape " + residual + " does not match " + x);
        }
        if (weights == null) {
            return x.withNode(name);
        }
        String r = residual.node;
        if (scale != 1f) {
            r = node(name + "/mul", "Mul", typed(), r, scalar(name + "/mul/y", scale)).name;
        }
        String sum = node(name + "/add", "AddV2", typed(), x.node, r).name;
        return x.withNode(activation(name, sum, act));
    }

    public T relu(String name, T x) {
        return weights == null ? x.withNode(name) : x.withNode(node(name, "Relu", typed(), x.node).name);
    }

    /** Squeezes the 1x1 spatial dims of logits: {@code [1,1,1,C] -> [1,C]}. */
    public T squeeze(String name, T x) {
        if (weights == null) {
            return x.withNode(name);
        }
        return x.withNode(node(name, "Squeeze", typed(), x.node)
                .attr("squeeze_dims", ints(1, 2)).name);
    }

    /**
     * The first layer sees the preprocessed image, whose scale differs by model (vgg's mean-subtracted
     * pixels are ~70x inception's [-1, 1]): its output scale absorbs that, once.
     */
    private Norm firstLayer(Norm norm) {
        float g = inputGain;
        inputGain = 1f;
        return g == 1f ? norm : norm.gain(norm.gain() * g);
    }

    // ---------------------------------------------------------------- graph interface

    /** The graph's input: uint8 {@code [1,S,S,3]} RGB, preprocessed inside the graph as the model expects. */
    T input(int size, Preprocessing pre) {
        inputGain = pre.inputGain();
        if (weights == null) {
            return new T(Model.INPUT, size, size, 3);
        }
        node(Model.INPUT, "Placeholder", null)
                .attr("dtype", type(DataType.DT_UINT8))
                .attr("shape", AttrValue.newBuilder().setShape(shapeProto(1, size, size, 3)).build());
        String f = node("preprocess/ToFloat", "Cast", null, Model.INPUT)
                .attr("SrcT", type(DataType.DT_UINT8)).attr("DstT", type(DataType.DT_FLOAT)).name;
        String x = switch (pre) {
            case INCEPTION -> {
                // [0, 255] -> [-1, 1]: x * 2/255 - 1, as inception_preprocessing's (x/255 - 0.5) * 2.
                String m = node("preprocess/mul", "Mul", floatT(), f, floatConst("preprocess/mul/y", 2f / 255f)).name;
                yield node("preprocess/sub", "Sub", floatT(), m, floatConst("preprocess/sub/y", 1f)).name;
            }
            case VGG -> node("preprocess/sub", "Sub", floatT(), f,
                    floatVector("preprocess/means", 123.68f, 116.78f, 103.94f)).name;
        };
        if (precision.dataType() != DataType.DT_FLOAT) {
            x = node("preprocess/Cast", "Cast", null, x)
                    .attr("SrcT", type(DataType.DT_FLOAT)).attr("DstT", type(precision.dataType())).name;
        }
        return new T(x, size, size, 3);
    }

    /** Softmax over the logits, in float32 whatever the precision, named {@link Model#OUTPUT}. */
    void output(T logits) {
        if (weights == null) {
            return;
        }
        String x = logits.node;
        if (precision.dataType() != DataType.DT_FLOAT) {
            x = node(logits.node + "/ToFloat", "Cast", null, x)
                    .attr("SrcT", type(precision.dataType())).attr("DstT", type(DataType.DT_FLOAT)).name;
        }
        node(Model.OUTPUT, "Softmax", floatT(), x);
    }

    // ---------------------------------------------------------------- lowering

    private T convLike(String scope, String op, T x, Variable w, T y, int stride, Pad pad, Norm norm, Act act) {
        BatchNorm bn = norm.kind() == Norm.Kind.BATCH_NORM ? batchNormVariables(scope + "/BatchNorm", y.c, norm) : null;
        Variable bias = norm.kind() == Norm.Kind.BIAS ? variable(scope + "/biases", Init.BIAS, norm, y.c) : null;
        if (weights == null) {
            return y;
        }
        String convName = op.equals("Conv2D") ? scope + "/Conv2D" : scope + "/depthwise";
        if (optimize == Optimize.AHEAD && norm.kind() != Norm.Kind.NONE) {
            return y.withNode(fusedConv(scope, op, x, w, bias, bn, norm, stride, pad, act));
        }
        String out = node(convName, op, typed(), x.node, constant(w, w.name(), weights.values(w)))
                .strides(stride).padding(pad).name;
        if (bn != null) {
            out = fusedBatchNorm(scope + "/BatchNorm", out, bn, norm);
        } else if (bias != null) {
            out = node(scope + "/BiasAdd", "BiasAdd", typed(), out, constant(bias, bias.name(), weights.values(bias))).name;
        }
        return y.withNode(activation(scope, out, act));
    }

    /**
     * Batch norm folded into the kernel ({@code w' = w * gamma / sqrt(var + eps)}, one bias
     * {@code beta - mean * gamma / sqrt(var + eps)}), emitted as the fused op TensorFlow's remapper
     * would make at load time.
     */
    private String fusedConv(String scope, String op, T x, Variable w, Variable bias, BatchNorm bn, Norm norm,
                             int stride, Pad pad, Act act) {
        float[] kernel = weights.values(w);
        float[] b;
        int cout = w.shape()[3] * (op.equals("Conv2D") ? 1 : w.shape()[2]);
        if (bn != null) {
            float[] gamma = bn.gamma == null ? null : weights.values(bn.gamma);
            float[] beta = weights.values(bn.beta);
            float[] mean = weights.values(bn.mean);
            float[] var = weights.values(bn.variance);
            float[] k = kernel.clone();
            b = new float[cout];
            for (int o = 0; o < cout; o++) {
                float s = (float) ((gamma == null ? 1.0 : gamma[o]) / Math.sqrt(var[o] + (double) norm.epsilon()));
                b[o] = beta[o] - mean[o] * s;
                for (int i = o; i < k.length; i += cout) {
                    k[i] *= s;
                }
            }
            kernel = k;
        } else {
            b = weights.values(bias);
        }
        Variable foldedBias = new Variable(scope + "/folded_biases", Init.BIAS, new int[] {cout});
        if (precision != Precision.FP32 || !op.equals("Conv2D")) {
            // _FusedConv2D is not defined for bfloat16, its Eigen kernel refuses half ("Op does not
            // support half inputs": every CPU without AVX512-FP16, aarch64 included), and
            // _FusedDepthwiseConv2dNative's CPU kernel is an empty stand-in for oneDNN's rewrite
            // (without oneDNN, as on aarch64, it outputs nothing): folded conv, bias and activation
            // stay separate nodes here, which oneDNN's rewrite (or, for a mapped graph,
            // bench.OneDnnBinding) fuses where oneDNN runs the type.
            String conv = node(scope + "/" + (op.equals("Conv2D") ? "Conv2D" : "depthwise"), op, typed(), x.node,
                    constant(w, scope + "/folded_weights", kernel)).strides(stride).padding(pad).name;
            String biased = node(scope + "/BiasAdd", "BiasAdd", typed(), conv,
                    constant(foldedBias, foldedBias.name(), b)).name;
            return activation(scope, biased, act);
        }
        String fusedOp = "_FusedConv2D";
        AttrValue.ListValue.Builder ops = AttrValue.ListValue.newBuilder().addS(ByteString.copyFromUtf8("BiasAdd"));
        if (act != Act.NONE) {
            ops.addS(ByteString.copyFromUtf8(act == Act.RELU ? "Relu" : "Relu6"));
        }
        return node(scope + "/" + fusedOp, fusedOp, typed(), x.node,
                constant(w, scope + "/folded_weights", kernel),
                constant(foldedBias, foldedBias.name(), b))
                .attr("TArgs", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(typed())).build())
                .strides(stride).padding(pad)
                .attr("num_args", AttrValue.newBuilder().setI(1).build())
                .attr("fused_ops", AttrValue.newBuilder().setList(ops).build())
                .attr("epsilon", AttrValue.newBuilder().setF(norm.epsilon()).build()).name;
    }

    private String fusedBatchNorm(String scope, String x, BatchNorm bn, Norm norm) {
        String gamma = bn.gamma != null
                ? constant(bn.gamma, bn.gamma.name(), weights.values(bn.gamma), DataType.DT_FLOAT)
                : constant(bn.beta, scope + "/Const", ones((int) bn.beta.size()), DataType.DT_FLOAT);
        return node(scope + "/FusedBatchNormV3", "FusedBatchNormV3", typed(), x, gamma,
                constant(bn.beta, bn.beta.name(), weights.values(bn.beta), DataType.DT_FLOAT),
                constant(bn.mean, bn.mean.name(), weights.values(bn.mean), DataType.DT_FLOAT),
                constant(bn.variance, bn.variance.name(), weights.values(bn.variance), DataType.DT_FLOAT))
                .attr("U", type(DataType.DT_FLOAT))
                .attr("epsilon", AttrValue.newBuilder().setF(norm.epsilon()).build())
                .attr("is_training", AttrValue.newBuilder().setB(false).build()).name;
    }


    private String activation(String scope, String x, Act act) {
        return switch (act) {
            case NONE -> x;
            case RELU -> node(scope + "/Relu", "Relu", typed(), x).name;
            case RELU6 -> node(scope + "/Relu6", "Relu6", typed(), x).name;
        };
    }

    private T pool(String name, String op, T x, int k, int stride, Pad pad) {
        T y = shape(name, x, k, k, stride, pad, x.c);
        if (weights == null) {
            return y;
        }
        return y.withNode(node(name + "/" + op, op, typed(), x.node)
                .attr("ksize", ints(1, k, k, 1)).strides(stride).padding(pad).name);
    }

    private static T shape(String scope, T x, int kh, int kw, int stride, Pad pad, int cout) {
        int h = pad == Pad.SAME ? ceilDiv(x.h, stride) : ceilDiv(x.h - kh + 1, stride);
        int w = pad == Pad.SAME ? ceilDiv(x.w, stride) : ceilDiv(x.w - kw + 1, stride);
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(scope + ": input " + x.h + "x" + x.w
                    + " is too small for a " + kh + "x" + kw + " " + pad + " window; use a larger --input-size");
        }
        return new T(scope, h, w, cout);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ---------------------------------------------------------------- variables

    private record BatchNorm(Variable gamma, Variable beta, Variable mean, Variable variance) {}

    /** The four (or three, without gamma) variables of a batch norm whose variables live under {@code p}. */
    private BatchNorm batchNormVariables(String p, int c, Norm norm) {
        Variable gamma = norm.gamma() ? variable(p + "/gamma", Init.GAMMA, norm, c) : null;
        return new BatchNorm(gamma, variable(p + "/beta", Init.BETA, norm, c),
                variable(p + "/moving_mean", Init.MEAN, norm, c),
                variable(p + "/moving_variance", Init.VARIANCE, norm, c));
    }

    private Variable variable(String name, Init init, Norm norm, int... shape) {
        // The gain lands where the branch's output scale is set: gamma under batch norm, else the kernel.
        boolean scaled = init == Init.GAMMA
                || (init.isKernel() && !(norm.kind() == Norm.Kind.BATCH_NORM && norm.gamma()));
        float gain = scaled ? norm.gain() : 1f;
        Variable v = new Variable(name, init, shape, gain);
        variables.add(v);
        return v;
    }

    // ---------------------------------------------------------------- proto plumbing

    private final class NodeBuilder {
        final String name;
        final NodeDef.Builder def;

        NodeBuilder(String name, NodeDef.Builder def) {
            this.name = name;
            this.def = def;
        }

        NodeBuilder attr(String key, AttrValue value) {
            def.putAttr(key, value);
            return this;
        }

        NodeBuilder strides(int s) {
            return attr("strides", ints(1, s, s, 1));
        }

        NodeBuilder padding(Pad pad) {
            return attr("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(pad.name())).build());
        }
    }

    /** Adds a node; {@code t} is its {@code T} attribute (null for ops without one). */
    private NodeBuilder node(String name, String op, DataType t, String... inputs) {
        NodeDef.Builder def = NodeDef.newBuilder().setName(unique(name)).setOp(op);
        for (String in : inputs) {
            def.addInput(in);
        }
        if (t != null) {
            def.putAttr("T", type(t));
        }
        nodes.add(def);
        return new NodeBuilder(def.getName(), def);
    }

    private String unique(String name) {
        String n = name;
        while (!names.add(n)) {
            n = name + "_" + (++unique);
        }
        return n;
    }

    private DataType typed() {
        return precision.dataType();
    }

    private static DataType floatT() {
        return DataType.DT_FLOAT;
    }

    private String constant(Variable v, String name, float[] values) {
        return constant(v, name, values, precision.dataType());
    }

    private String constant(Variable v, String name, float[] values, DataType dtype) {
        byte[] bytes = Precisions.encode(values, dtype);
        TensorProto t = TensorProto.newBuilder().setDtype(dtype)
                .setTensorShape(shapeProto(v.shape()))
                .setTensorContent(UnsafeByteOperations.unsafeWrap(bytes)).build();
        return node(name, "Const", null).attr("dtype", type(dtype))
                .attr("value", AttrValue.newBuilder().setTensor(t).build()).name;
    }

    private String scalar(String name, float value) {
        return constant(null, name, new float[] {value}, precision.dataType(), new int[0]);
    }

    private String floatConst(String name, float value) {
        return constant(null, name, new float[] {value}, DataType.DT_FLOAT, new int[0]);
    }

    private String floatVector(String name, float... values) {
        return constant(null, name, values, DataType.DT_FLOAT, new int[] {values.length});
    }

    private String constant(Variable unused, String name, float[] values, DataType dtype, int[] shape) {
        TensorProto t = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shapeProto(shape))
                .setTensorContent(ByteString.copyFrom(Precisions.encode(values, dtype))).build();
        return node(name, "Const", null).attr("dtype", type(dtype))
                .attr("value", AttrValue.newBuilder().setTensor(t).build()).name;
    }

    private String intConst(String name, int... values) {
        return intTensor(name, values, values.length == 1 ? new int[0] : new int[] {values.length});
    }

    private String intTensor(String name, int[] values, int... shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shapeProto(shape));
        for (int v : values) {
            t.addIntVal(v);
        }
        return node(name, "Const", null).attr("dtype", type(DataType.DT_INT32))
                .attr("value", AttrValue.newBuilder().setTensor(t).build()).name;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static AttrValue ints(int... values) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (int v : values) {
            l.addI(v);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    static TensorShapeProto shapeProto(int... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }
}
