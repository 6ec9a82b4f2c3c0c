package slimbench.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * How far two computations of one network may legitimately differ: the one place every numeric
 * comparison of probabilities (the accuracy guard, and the tests of precisions, mapped filters and
 * ahead graphs) takes its tolerance from. It is derived from the arithmetic, never tuned to a CPU:
 * oneDNN's kernels differ by instruction set (AMX, AVX-512 BF16, AVX2), and so do last digits.
 *
 * <p>The model of the error, per weighted layer (convolution or matmul) of reduction length
 * {@code n}: the layer's input, filter and output are each rounded to the storage format, whose
 * unit roundoff is {@code u = 2^-bits} (24 significant bits for float, 11 for half, 8 for
 * bfloat16); a rounding error is uniform in {@code [-u, u]} (standard deviation
 * {@code u / sqrt 3}), so the three give a relative error of standard deviation {@code u}. The
 * {@code n} products are summed in float on every kernel SlimBench meets (oneDNN accumulates half
 * and bfloat16 in float, and so does Eigen: a half VGG fc6 with n = 6272 would otherwise be off by
 * {@code u sqrt n}, 80 u, where 2 u is measured), adding {@code u_float sqrt(n / 3)}. Layer errors
 * are independent and add in quadrature along the network's longest chain of {@code depth}
 * weighted layers (batch norm keeps each layer's gain near one). The softmax turns a logit error
 * {@code d} into at most {@code 2 d} of a probability, relative to the largest probability. The
 * bound is {@link #SIGMAS} standard deviations of that: probabilistic rounding-error analysis
 * (Higham and Mary, 2019) rather than the worst case {@code n u}, which would allow anything.
 *
 * <p>Measured against it on an AMD EPYC (Zen 4, AVX-512 BF16, no AVX512-FP16), all fifteen models
 * in every variant at input 107, width 1/4, 10 classes, 3 images
 * ({@code accuracy --scale 107:0.25:10 --images 3}): the largest error is 0.16 of its bound with
 * oneDNN's default dispatch and under {@code ONEDNN_MAX_CPU_ISA=AVX512_CORE} (vgg_16 bf16: 2.0e-2
 * of 1.3e-1), 0.09 under {@code AVX2} (inception_v2 fp16 ahead: 2.0e-3 of 2.3e-2).
 */
public record ErrorBound(int depth, long reduction) {
    /** Standard deviations of the bound: a Gaussian exceeds 4 sigma once in 30,000 draws. */
    static final double SIGMAS = 4;

    /** The ops whose reduction is long enough to matter: convolutions and matrix products. */
    private static final Set<String> WEIGHTED = Set.of("Conv2D", "DepthwiseConv2dNative", "MatMul",
            "_FusedConv2D", "_FusedDepthwiseConv2dNative", "_FusedMatMul");

    public ErrorBound {
        if (depth < 1 || reduction < 1) {
            throw new IllegalArgumentException("depth and reduction must be positive: " + depth + ", " + reduction);
        }
    }

    /** A format's unit roundoff: half a unit in the last place, relative. */
    public static double unitRoundoff(Precision p) {
        return Math.scalb(1.0, -p.significandBits());
    }

    /**
     * The largest error of any probability against the exact result, relative to the largest
     * probability, for a computation stored in {@code p}.
     */
    public double probability(Precision p) {
        double u = unitRoundoff(p);
        double accumulate = unitRoundoff(Precision.FP32) * Math.sqrt(reduction / 3.0);
        double layer = Math.sqrt(u * u + accumulate * accumulate);
        return 2 * SIGMAS * Math.sqrt(depth) * layer;
    }

    /** Two computations that round differently, each within its own bound of the exact result. */
    public double between(Precision a, Precision b) {
        return probability(a) + probability(b);
    }

    /**
     * The bound of a model at a scale: its depth is that of its graph at {@link Scale#TINY} (every
     * scale keeps every layer), its longest reduction that of its variables at {@code scale}.
     */
    public static ErrorBound of(Model model, Scale scale) {
        int depth = DEPTHS.computeIfAbsent(model,
                m -> longestChain(m.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1)).graph()));
        long reduction = 1;
        for (Variable v : model.describe(scale).variables()) {
            if (v.name().endsWith("weights")) {
                reduction = Math.max(reduction, v.fanIn());
            }
        }
        return new ErrorBound(depth, reduction);
    }

    private static final Map<Model, Integer> DEPTHS = new ConcurrentHashMap<>();

    /** Weighted ops on the graph's longest chain. */
    static int longestChain(GraphDef graph) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
        }
        Map<String, Integer> depthOf = new HashMap<>();
        int depth = 1;
        for (NodeDef n : graph.getNodeList()) {
            depth = Math.max(depth, depth(n.getName(), byName, depthOf));
        }
        return depth;
    }

    /** Weighted ops on the longest path into {@code name}, with an explicit stack: nets are deep. */
    private static int depth(String name, Map<String, NodeDef> byName, Map<String, Integer> depthOf) {
        Deque<String> stack = new ArrayDeque<>();
        stack.push(name);
        while (!stack.isEmpty()) {
            String top = stack.peek();
            if (depthOf.containsKey(top)) {
                stack.pop();
                continue;
            }
            NodeDef n = byName.get(top);
            boolean ready = true;
            int deepest = 0;
            for (String in : n == null ? List.<String>of() : n.getInputList()) {
                String src = MappedWeights.nodeName(in);
                Integer d = depthOf.get(src);
                if (d == null && byName.containsKey(src)) {
                    stack.push(src);
                    ready = false;
                } else if (d != null) {
                    deepest = Math.max(deepest, d);
                }
            }
            if (ready) {
                stack.pop();
                depthOf.put(top, deepest + (n != null && WEIGHTED.contains(n.getOp()) ? 1 : 0));
            }
        }
        return depthOf.get(name);
    }
}
