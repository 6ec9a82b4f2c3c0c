package slimbench.model;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import slimbench.model.Net.Act;
import slimbench.model.Net.Norm;
import slimbench.model.Net.Pad;

/**
 * How a variant lowers a convolution and what follows it into nodes: as slim's graph has them
 * ({@code at-load}: conv, batch norm, activation), or with batch norm folded in ({@code ahead},
 * {@link Folding}) and, for float, conv, bias and activation as one {@code _FusedConv2D}.
 */
final class Lowering {
    private final GraphWriter g;
    private final Precision precision;
    private final Optimize optimize;
    private final Weights weights;

    Lowering(GraphWriter g, Precision precision, Optimize optimize, Weights weights) {
        this.g = g;
        this.precision = precision;
        this.optimize = optimize;
        this.weights = weights;
    }

    /** A convolution on {@code x} with what follows it (batch norm or bias, activation): the node that ends it. */
    String conv(String scope, String op, String x, Variable w, Net.BatchNorm bn, Variable bias, int stride, Pad pad,
                Norm norm, Act act) {
        String convName = op.equals("Conv2D") ? scope + "/Conv2D" : scope + "/depthwise";
        if (optimize == Optimize.AHEAD && norm.kind() != Norm.Kind.NONE) {
            return fusedConv(scope, op, x, w, bias, bn, norm, stride, pad, act);
        }
        String out = g.node(convName, op, g.typed(), x, g.constant(w.name(), w.shape(), weights.values(w)))
                .strides(stride).padding(pad).name;
        if (bn != null) {
            out = batchNorm(scope + "/BatchNorm", out, bn, norm);
        } else if (bias != null) {
            out = g.node(scope + "/BiasAdd", "BiasAdd", g.typed(), out,
                    g.constant(bias.name(), bias.shape(), weights.values(bias))).name;
        }
        return activation(scope, out, act);
    }

    /**
     * Batch norm folded into the kernel ({@code w' = w * gamma / sqrt(var + eps)}, one bias
     * {@code beta - mean * gamma / sqrt(var + eps)}), emitted as the fused op TensorFlow's remapper
     * would make at load time.
     */
    private String fusedConv(String scope, String op, String x, Variable w, Variable bias, Net.BatchNorm bn, Norm norm,
                             int stride, Pad pad, Act act) {
        float[] kernel = weights.values(w);
        float[] b = bias == null ? null : weights.values(bias);
        if (bn != null) {
            int cout = w.shape()[3] * (op.equals("Conv2D") ? 1 : w.shape()[2]);
            Folding.Folded f = Folding.batchNorm(kernel, cout, bn.gamma() == null ? null : weights.values(bn.gamma()),
                    weights.values(bn.beta()), weights.values(bn.mean()), weights.values(bn.variance()), norm.epsilon());
            kernel = f.kernel();
            b = f.bias();
        }
        Variable foldedBias = new Variable(scope + "/folded_biases", Init.BIAS, new int[] {b.length});
        if (precision != Precision.FP32 || !op.equals("Conv2D")) {
            // _FusedConv2D is not defined for bfloat16, its Eigen kernel refuses half ("Op does not
            // support half inputs": every CPU without AVX512-FP16, aarch64 included), and
            // _FusedDepthwiseConv2dNative's CPU kernel is an empty stand-in for oneDNN's rewrite
            // (without oneDNN, as on aarch64, it outputs nothing): folded conv, bias and activation
            // stay separate nodes here, which oneDNN's rewrite (or, for a mapped graph,
            // engine.OneDnnBinding) fuses where oneDNN runs the type.
            String conv = g.node(scope + "/" + (op.equals("Conv2D") ? "Conv2D" : "depthwise"), op, g.typed(), x,
                    g.constant(scope + "/folded_weights", w.shape(), kernel)).strides(stride).padding(pad).name;
            String biased = g.node(scope + "/BiasAdd", "BiasAdd", g.typed(), conv,
                    g.constant(foldedBias.name(), foldedBias.shape(), b)).name;
            return activation(scope, biased, act);
        }
        String fusedOp = "_FusedConv2D";
        AttrValue.ListValue.Builder ops = AttrValue.ListValue.newBuilder().addS(ByteString.copyFromUtf8("BiasAdd"));
        if (act != Act.NONE) {
            ops.addS(ByteString.copyFromUtf8(act == Act.RELU ? "Relu" : "Relu6"));
        }
        return g.node(scope + "/" + fusedOp, fusedOp, g.typed(), x,
                g.constant(scope + "/folded_weights", w.shape(), kernel),
                g.constant(foldedBias.name(), foldedBias.shape(), b))
                .attr("TArgs", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(g.typed())).build())
                .strides(stride).padding(pad)
                .attr("num_args", AttrValue.newBuilder().setI(1).build())
                .attr("fused_ops", AttrValue.newBuilder().setList(ops).build())
                .attr("epsilon", AttrValue.newBuilder().setF(norm.epsilon()).build()).name;
    }

    /** An inference batch norm; its statistics stay float32, as TensorFlow's kernels take them. */
    String batchNorm(String scope, String x, Net.BatchNorm bn, Norm norm) {
        String gamma = bn.gamma() != null
                ? g.constant(bn.gamma().name(), bn.gamma().shape(), weights.values(bn.gamma()), DataType.DT_FLOAT)
                : g.constant(scope + "/Const", bn.beta().shape(), ones((int) bn.beta().size()), DataType.DT_FLOAT);
        return g.node(scope + "/FusedBatchNormV3", "FusedBatchNormV3", g.typed(), x, gamma,
                g.constant(bn.beta().name(), bn.beta().shape(), weights.values(bn.beta()), DataType.DT_FLOAT),
                g.constant(bn.mean().name(), bn.mean().shape(), weights.values(bn.mean()), DataType.DT_FLOAT),
                g.constant(bn.variance().name(), bn.variance().shape(), weights.values(bn.variance()), DataType.DT_FLOAT))
                .attr("U", GraphWriter.type(DataType.DT_FLOAT))
                .attr("epsilon", AttrValue.newBuilder().setF(norm.epsilon()).build())
                .attr("is_training", AttrValue.newBuilder().setB(false).build()).name;
    }


    String activation(String scope, String x, Act act) {
        return switch (act) {
            case NONE -> x;
            case RELU -> g.node(scope + "/Relu", "Relu", g.typed(), x).name;
            case RELU6 -> g.node(scope + "/Relu6", "Relu6", g.typed(), x).name;
        };
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}
