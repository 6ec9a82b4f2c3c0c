package slimbench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;

/**
 * The layer helpers every architecture is written with, emitting a frozen TensorFlow GraphDef
 * directly as protobuf: weights become {@code Const} nodes named exactly as slim's variables, ops
 * are named as slim names them ({@code <scope>/Conv2D}, {@code <scope>/BatchNorm/FusedBatchNormV3}).
 *
 * <p>The nodes go through {@link GraphWriter}, the protobuf end. Every layer also records its
 * variables and MACs, so the same code counts a full-size model without materialising a single
 * weight ({@link #counting}).
 *
 * <p>The variant decides how a convolution and what follows it are lowered ({@link Lowering}):
 * the precision of weights and compute, and for {@link Optimize#AHEAD} batch norm folded in
 * ({@link Folding}) with a float conv, bias and activation emitted as one {@code _FusedConv2D}.
 * Half and bfloat16 chains stay separate nodes, because only oneDNN fuses them, and only on some
 * CPUs: {@code engine.OneDnnBinding} fuses them at load where it runs the type.
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
    private final Weights weights;
    private final GraphWriter g;
    private final Lowering lowering;
    private final List<Variable> variables = new ArrayList<>();
    private long macs;
    private float inputGain = 1f;

    private Net(Scale scale, Precision precision, Optimize optimize, Weights weights) {
        this.scale = scale;
        this.precision = precision;
        this.weights = weights;
        this.g = new GraphWriter(precision.dataType());
        this.lowering = new Lowering(g, precision, optimize, weights);
    }

    /** A net that writes its graph, with weight values from {@code weights}. */
    static Net writing(Scale scale, Precision precision, Optimize optimize, Weights weights) {
        return new Net(scale, precision, optimize, Objects.requireNonNull(weights, "weights"));
    }

    /** A net that only counts variables and MACs: no node is made, no weight materialised. */
    static Net counting(Scale scale) {
        return new Net(scale, Precision.FP32, Optimize.AT_LOAD, null);
    }

    /** True for {@link #counting}: each layer records its variables and MACs, then returns its shape. */
    private boolean counting() {
        return weights == null;
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
        return g.graphDef();
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
        if (counting()) {
            return new T(scope, mid.h, mid.w, cout);
        }
        String d = g.node(scope + "/separable_conv2d/depthwise", "DepthwiseConv2dNative", g.typed(),
                x.node, g.constant(dw.name(), dw.shape(), weights.values(dw)))
                .strides(stride).padding(pad).name;
        String p = g.node(scope + "/separable_conv2d", "Conv2D", g.typed(), d, g.constant(pw.name(), pw.shape(), weights.values(pw)))
                .strides(1).padding(Pad.VALID).name;
        String out = g.node(scope + "/BiasAdd", "BiasAdd", g.typed(), p, g.constant(b.name(), b.shape(), weights.values(b))).name;
        return new T(lowering.activation(scope, out, act), mid.h, mid.w, cout);
    }

    /** A fully connected layer on a flattened [1, C] input: {@code weights [C, out]} and biases. */
    public T fullyConnected(String scope, T x, int out) {
        int in = x.h * x.w * x.c;
        Variable w = variable(scope + "/weights", Init.LINEAR, Norm.NONE, in, out);
        Variable b = variable(scope + "/biases", Init.BIAS, Norm.NONE, out);
        macs += (long) in * out;
        if (counting()) {
            return new T(scope, 1, 1, out);
        }
        String flat = g.node(scope + "/Flatten", "Reshape", g.typed(), x.node, g.intConst(scope + "/Flatten/shape", 1, in))
                .attr("Tshape", GraphWriter.type(DataType.DT_INT32)).name;
        String mm = g.node(scope + "/MatMul", "MatMul", g.typed(), flat, g.constant(w.name(), w.shape(), weights.values(w))).name;
        return new T(g.node(scope + "/BiasAdd", "BiasAdd", g.typed(), mm, g.constant(b.name(), b.shape(), weights.values(b))).name,
                1, 1, out);
    }

    /** A batch norm (and activation) on its own, as resnet_v2's {@code preact} and {@code postnorm}. */
    public T batchNorm(String scope, T x, float epsilon, Act act) {
        Norm norm = Norm.batchNorm(true, epsilon);
        BatchNorm bn = batchNormVariables(scope, x.c, norm);
        if (counting()) {
            return x.withNode(scope);
        }
        // Not _FusedBatchNormEx, what Grappler's remapper would make: its CPU kernel is an empty
        // stand-in for oneDNN's rewrite, so without oneDNN (aarch64) it outputs nothing.
        String y = lowering.batchNorm(scope, x.node, bn, norm);
        return x.withNode(lowering.activation(scope, y, act));
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
        if (counting()) {
            return new T(name, 1, 1, x.c);
        }
        return new T(g.node(name, "Mean", g.typed(), x.node, g.intConst(name + "/reduction_indices", 1, 2))
                .attr("keep_dims", AttrValue.newBuilder().setB(true).build()).name, 1, 1, x.c);
    }

    /** Explicit spatial padding, as resnet_utils' {@code conv2d_same} does for strided convs. */
    public T pad(String name, T x, int before, int after) {
        if (counting()) {
            return new T(name, x.h + before + after, x.w + before + after, x.c);
        }
        String paddings = g.intTensor(name + "/paddings", new int[] {0, 0, before, after, before, after, 0, 0}, 4, 2);
        return new T(g.node(name, "Pad", g.typed(), x.node, paddings).name,
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
        if (counting()) {
            return new T(name, xs[0].h, xs[0].w, c);
        }
        String[] inputs = new String[xs.length + 1];
        for (int i = 0; i < xs.length; i++) {
            inputs[i] = xs[i].node;
        }
        inputs[xs.length] = g.intConst(name + "/axis", 3);
        return new T(g.node(name, "ConcatV2", g.typed(), inputs)
                .attr("N", AttrValue.newBuilder().setI(xs.length).build())
                .attr("Tidx", GraphWriter.type(DataType.DT_INT32)).name, xs[0].h, xs[0].w, c);
    }

    /** {@code act(x + scale * residual)}; scale 1 emits a plain add. */
    public T residual(String name, T x, T residual, float scale, Act act) {
        if (x.c != residual.c || x.h != residual.h) {
            throw new IllegalStateException(name + ": residual shape " + residual + " does not match " + x);
        }
        if (counting()) {
            return x.withNode(name);
        }
        String r = residual.node;
        if (scale != 1f) {
            r = g.node(name + "/mul", "Mul", g.typed(), r, g.scalar(name + "/mul/y", scale)).name;
        }
        String sum = g.node(name + "/add", "AddV2", g.typed(), x.node, r).name;
        return x.withNode(lowering.activation(name, sum, act));
    }

    public T relu(String name, T x) {
        return counting() ? x.withNode(name) : x.withNode(g.node(name, "Relu", g.typed(), x.node).name);
    }

    /** Squeezes the 1x1 spatial dims of logits: {@code [1,1,1,C] -> [1,C]}. */
    public T squeeze(String name, T x) {
        if (counting()) {
            return x.withNode(name);
        }
        return x.withNode(g.node(name, "Squeeze", g.typed(), x.node)
                .attr("squeeze_dims", GraphWriter.ints(1, 2)).name);
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
        if (counting()) {
            return new T(Model.INPUT, size, size, 3);
        }
        g.node(Model.INPUT, "Placeholder", null)
                .attr("dtype", GraphWriter.type(DataType.DT_UINT8))
                .attr("shape", AttrValue.newBuilder().setShape(GraphWriter.shapeProto(1, size, size, 3)).build());
        String f = g.node("preprocess/ToFloat", "Cast", null, Model.INPUT)
                .attr("SrcT", GraphWriter.type(DataType.DT_UINT8)).attr("DstT", GraphWriter.type(DataType.DT_FLOAT)).name;
        String x = switch (pre) {
            case INCEPTION -> {
                // [0, 255] -> [-1, 1]: x * 2/255 - 1, as inception_preprocessing's (x/255 - 0.5) * 2.
                String m = g.node("preprocess/mul", "Mul", DataType.DT_FLOAT, f, g.floatScalar("preprocess/mul/y", 2f / 255f)).name;
                yield g.node("preprocess/sub", "Sub", DataType.DT_FLOAT, m, g.floatScalar("preprocess/sub/y", 1f)).name;
            }
            case VGG -> g.node("preprocess/sub", "Sub", DataType.DT_FLOAT, f,
                    g.floatVector("preprocess/means", 123.68f, 116.78f, 103.94f)).name;
        };
        if (precision.dataType() != DataType.DT_FLOAT) {
            x = g.node("preprocess/Cast", "Cast", null, x)
                    .attr("SrcT", GraphWriter.type(DataType.DT_FLOAT)).attr("DstT", GraphWriter.type(precision.dataType())).name;
        }
        return new T(x, size, size, 3);
    }

    /** Softmax over the logits, in float32 whatever the precision, named {@link Model#OUTPUT}. */
    void output(T logits) {
        if (counting()) {
            return;
        }
        String x = logits.node;
        if (precision.dataType() != DataType.DT_FLOAT) {
            x = g.node(logits.node + "/ToFloat", "Cast", null, x)
                    .attr("SrcT", GraphWriter.type(precision.dataType())).attr("DstT", GraphWriter.type(DataType.DT_FLOAT)).name;
        }
        g.node(Model.OUTPUT, "Softmax", DataType.DT_FLOAT, x);
    }

    // ---------------------------------------------------------------- lowering

    private T convLike(String scope, String op, T x, Variable w, T y, int stride, Pad pad, Norm norm, Act act) {
        BatchNorm bn = norm.kind() == Norm.Kind.BATCH_NORM ? batchNormVariables(scope + "/BatchNorm", y.c, norm) : null;
        Variable bias = norm.kind() == Norm.Kind.BIAS ? variable(scope + "/biases", Init.BIAS, norm, y.c) : null;
        if (counting()) {
            return y;
        }
        return y.withNode(lowering.conv(scope, op, x.node, w, bn, bias, stride, pad, norm, act));
    }

    private T pool(String name, String op, T x, int k, int stride, Pad pad) {
        T y = shape(name, x, k, k, stride, pad, x.c);
        if (counting()) {
            return y;
        }
        return y.withNode(g.node(name + "/" + op, op, g.typed(), x.node)
                .attr("ksize", GraphWriter.ints(1, k, k, 1)).strides(stride).padding(pad).name);
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

    /** A batch norm's variables; gamma is null where slim's batch norm has none. */
    record BatchNorm(Variable gamma, Variable beta, Variable mean, Variable variance) {}

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
}
