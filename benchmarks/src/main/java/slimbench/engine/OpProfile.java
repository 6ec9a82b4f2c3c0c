package slimbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.NodeOutput;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.proto.TensorShapeProto;
import slimbench.stats.Percentiles;
import slimbench.model.Engine;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * Where the time of one inference goes, from the engine's own trace: TensorFlow's {@code FULL_TRACE}
 * step stats, or ONNX Runtime's profiler ({@link OrtTrace}). Each node's kernel time, summed per
 * executed op type (the type after the engine's rewrites, e.g. TensorFlow's {@code _MklNativeFusedConv2D}
 * or ONNX Runtime's NCHWc {@code Conv}), and for convolution and matmul kernels the FLOPs they do and
 * the rate they do them at. What is not inside a kernel (the executor between ops) is the traced
 * step's span minus the summed op time.
 *
 * <p>A node's time is the median over traced runs of its op time ({@code op_start} to {@code op_end});
 * an op type's time is the sum of its nodes' medians, so the per-node table adds up to the per-type one
 * and the shares to 100%. Times are read in nanoseconds: at test scale many ops take under a
 * microsecond, which the microsecond fields round to zero.
 *
 * @param nodes  every node that ran, in the order of the first traced run
 * @param types  per op type, slowest first
 * @param opMs   the summed op time of all nodes
 * @param stepMs the median span of a traced step, from the first node's start to the last one's end
 * @param runs   traced runs
 */
public record OpProfile(List<Node> nodes, List<OpType> types, double opMs, double stepMs, int runs) {
    private static final int WARMUPS = 5;
    private static final double NANOS_PER_MS = 1e6;

    /** What a kernel computes, as far as counting its FLOPs goes (depthwise counts as a convolution). */
    public enum Kind { CONVOLUTION, MATMUL, OTHER }

    /** One node: its median op time, and for a kernel the FLOPs (2 x MACs) it does per inference. */
    public record Node(String name, String op, Kind kind, double ms, long flops) {
        public double gflops() {
            return flops / (ms * NANOS_PER_MS);
        }
    }

    /** One executed op type: its nodes' summed time, and its share of the op time and of the traced step. */
    public record OpType(String op, Kind kind, int nodes, double ms, long flops, double opShare, double wallShare) {
        public double gflops() {
            return flops / (ms * NANOS_PER_MS);
        }
    }

    /**
     * What to profile: one model file on one engine, loaded as the benchmarks load it. ONNX Runtime
     * runs the ONNX translation of the {@code ahead} graph, fp32 or fp16, whatever {@code optimize} says.
     */
    public record Options(Engine engine, Model model, Precision precision, Optimize optimize, Scale scale, int threads,
                          int runs) {
        public Options {
            if (runs < 1) {
                throw new IllegalArgumentException("runs must be at least 1, not " + runs);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be 0 (the engine's choice) or more, not " + threads);
            }
        }
    }

    /**
     * A profile with what frames it: the wall time per inference untraced and traced (tracing costs
     * time, so both are shown), the machine's measured peak for the precision, the model's own MAC count.
     *
     * @param tracedCallMs median time of a whole traced call, the trace's collection included
     * @param source       how the engine traced it, in the report's words
     */
    public record Measured(Options options, OpProfile ops, double untracedMs, double tracedCallMs,
                           double peakGflops, long modelMacs, Source source) {}

    /**
     * How an engine traced a profile, as the report says it.
     *
     * @param tracedBy   what ran and traced it ({@code at-load on tensorflow, by its FULL_TRACE})
     * @param untracedOn where the untraced calls ran, when not on the traced session (else empty)
     * @param extraFlops why its kernels may do more FLOPs than the model counts (else empty)
     */
    public record Source(String tracedBy, String untracedOn, String extraFlops) {}

    /** Time of all nodes of one kind. */
    public double ms(Kind kind) {
        return types.stream().filter(t -> t.kind() == kind).mapToDouble(OpType::ms).sum();
    }

    /** FLOPs of all nodes of one kind. */
    public long flops(Kind kind) {
        return types.stream().filter(t -> t.kind() == kind).mapToLong(OpType::flops).sum();
    }

    /**
     * Generates (or finds) the model, loads it on its engine, and traces {@code runs} inferences
     * after a few untraced ones.
     */
    public static Measured measure(Path cache, Options o) throws IOException {
        return Engines.of(o.engine()).profile(cache, o);
    }

    /** TensorFlow's trace. Untraced and traced inferences alternate, so a neighbour's load falls on both alike. */
    static Measured measureTensorFlow(Path cache, Options o) throws IOException {
        Path file = Generator.ensure(cache, o.model(), o.precision(), o.optimize(), o.scale(), 1).path();
        RunOptions traced = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
        long[] untracedNanos = new long[o.runs()];
        long[] tracedNanos = new long[o.runs()];
        List<StepStats> steps = new ArrayList<>();
        OpProfile ops;
        try (LoadedModel m = LoadedModel.load(file, LoadOptions.zoo(o.optimize(), o.threads()))) {
            m.inferAndCheck();
            for (int i = 0; i < WARMUPS; i++) {
                m.inferDiscarding();
            }
            m.inferWithMetadata(traced); // the first trace starts TensorFlow's profiler: not counted
            for (int i = 0; i < o.runs(); i++) {
                long t0 = System.nanoTime();
                m.inferDiscarding(); // the call the steady-state benchmark times
                long t1 = System.nanoTime();
                RunMetadata md = m.inferWithMetadata(traced);
                tracedNanos[i] = System.nanoTime() - t1;
                untracedNanos[i] = t1 - t0;
                steps.add(md.getStepStats());
            }
            ops = of(steps, name -> shapeInGraph(m.graph(), name));
        }
        return measured(o, ops, untracedNanos, tracedNanos,
                new Source(o.optimize().label() + " on tensorflow, by its FULL_TRACE", "", ""));
    }

    /** The profile framed by its wall times, the peak and the model's MACs. */
    static Measured measured(Options o, OpProfile ops, long[] untracedNanos, long[] tracedNanos, Source source) {
        // As the suite measures it: 2048-square, or 256 for scaled-down models (tiny anyway). Through
        // TensorFlow for either engine: one yardstick for both engines' kernels.
        double peak = Roofline.gflops(o.precision(), o.scale().isFull() ? 2048 : 256, o.threads(), 5);
        return new Measured(o, ops, Percentiles.median(untracedNanos) / NANOS_PER_MS,
                Percentiles.median(tracedNanos) / NANOS_PER_MS, peak, o.model().describe(o.scale()).macs(), source);
    }

    /**
     * Aggregates the step stats of traced runs.
     *
     * @param graphShapes the output shape of a node of the graph by name, or null: asked only for the
     *                    shapes of kernels and their filters that the trace itself does not hold
     * @throws IllegalStateException when a kernel's FLOPs cannot be counted for want of a shape
     */
    public static OpProfile of(List<StepStats> runs, Function<String, long[]> graphShapes) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no traced runs");
        }
        Map<String, Traced> traced = new LinkedHashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        long[] spans = new long[runs.size()];
        for (int r = 0; r < runs.size(); r++) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (DeviceStepStats device : runs.get(r).getDevStatsList()) {
                for (NodeExecStats n : device.getNodeStatsList()) {
                    first = Math.min(first, n.getAllStartNanos());
                    last = Math.max(last, n.getAllStartNanos() + n.getAllEndRelNanos());
                    traced.computeIfAbsent(n.getNodeName(), name -> Traced.of(n.getTimelineLabel())).nanos()
                            .add(n.getOpEndRelNanos() - n.getOpStartRelNanos());
                    long[] shape = outputShape(n);
                    if (shape != null) {
                        shapes.putIfAbsent(n.getNodeName(), shape);
                    }
                }
            }
            if (first == Long.MAX_VALUE) {
                throw new IllegalStateException("traced run " + (r + 1) + " holds no step stats");
            }
            spans[r] = last - first;
        }
        Function<String, long[]> shapeOf = name -> {
            long[] s = shapes.get(name);
            return s != null ? s : graphShapes.apply(name);
        };
        Map<String, Timed> nodes = new LinkedHashMap<>();
        traced.forEach((name, t) -> {
            Kind kind = kind(t.op());
            long flops = kind == Kind.OTHER ? 0 : 2 * macs(kind, name, shapeOf.apply(name),
                    t.inputs().size() > 1 ? shapeOf.apply(t.inputs().get(1)) : null);
            nodes.put(name, new Timed(t.op(), kind, flops, t.nanos()));
        });
        return of(nodes, spans);
    }

    /** A node as either engine's trace gives it: op type, kind, FLOPs per inference and op time in each run. */
    record Timed(String op, Kind kind, long flops, List<Long> nanos) {}

    /** The profile of traced nodes (in execution order) and the traced steps' spans, in nanoseconds. */
    static OpProfile of(Map<String, Timed> timed, long[] spans) {
        List<Node> nodes = new ArrayList<>();
        timed.forEach((name, t) -> nodes.add(new Node(name, t.op(), t.kind(),
                Percentiles.median(t.nanos().stream().mapToLong(Long::longValue).toArray()) / NANOS_PER_MS, t.flops())));
        double stepMs = Percentiles.median(spans) / NANOS_PER_MS;
        return new OpProfile(List.copyOf(nodes), types(nodes, stepMs), nodes.stream().mapToDouble(Node::ms).sum(),
                stepMs, spans.length);
    }

    private static List<OpType> types(List<Node> nodes, double stepMs) {
        double opMs = nodes.stream().mapToDouble(Node::ms).sum();
        Map<String, List<Node>> byOp = new LinkedHashMap<>();
        nodes.forEach(n -> byOp.computeIfAbsent(n.op(), k -> new ArrayList<>()).add(n));
        List<OpType> types = new ArrayList<>();
        byOp.forEach((op, ns) -> {
            double ms = ns.stream().mapToDouble(Node::ms).sum();
            types.add(new OpType(op, ns.get(0).kind(), ns.size(), ms, ns.stream().mapToLong(Node::flops).sum(),
                    ms / opMs, ms / stepMs));
        });
        types.sort(Comparator.comparingDouble(OpType::ms).reversed());
        return List.copyOf(types);
    }

    /**
     * The kernel an executed op type runs. By name, since TensorFlow's rewrites give one kernel many
     * types: {@code Conv2D}, {@code _FusedConv2D}, {@code _MklNativePadWithFusedConv2D},
     * {@code _MklNativeFusedDepthwiseConv2dNative}, {@code _MklMatMul}, {@code _MklNativeFusedMatMul}...
     */
    static Kind kind(String op) {
        if (op.contains("Backprop")) {
            return Kind.OTHER;
        }
        if (op.contains("Conv2D") || op.contains("DepthwiseConv2dNative")) {
            return Kind.CONVOLUTION;
        }
        return op.contains("MatMul") ? Kind.MATMUL : Kind.OTHER;
    }

    /**
     * MACs of one kernel from its output and its filter (input 1), counted as the model counts them.
     * A convolution's NHWC output [N, H, W, Cout] with an HWIO filter [kh, kw, Cin, Cout] does
     * N*H*W*kh*kw*Cin*Cout; a depthwise one's [N, H, W, Cin*mult] with [kh, kw, Cin, mult] does
     * N*H*W*kh*kw*Cin*mult: the same product. A MatMul's [M, N] output with a [K, N] filter does M*K*N.
     */
    static long macs(Kind kind, String node, long[] out, long[] filter) {
        int rank = kind == Kind.CONVOLUTION ? 4 : 2;
        if (out == null || filter == null || out.length != rank || filter.length != rank) {
            throw new IllegalStateException("cannot count the FLOPs of " + node + ": output shape "
                    + Arrays.toString(out) + ", filter shape " + Arrays.toString(filter) + " (expected rank " + rank + ")");
        }
        return kind == Kind.CONVOLUTION
                ? out[0] * out[1] * out[2] * filter[0] * filter[1] * filter[2] * filter[3]
                : out[0] * filter[0] * filter[1];
    }

    /** A node as traced: its op type and inputs (from the timeline label) and its op time in each run. */
    private record Traced(String op, List<String> inputs, List<Long> nanos) {
        /**
         * Parses a timeline label, {@code [mklcpu 0.2MB 0.2MB] name = _MklNativeFusedConv2D(x, w, b)}
         * (the bracket, allocation notes, is there only sometimes).
         */
        static Traced of(String label) {
            int eq = label.indexOf(" = ");
            int open = label.indexOf('(', eq + 1);
            int close = label.lastIndexOf(')');
            if (eq < 0 || open < 0 || close < open) {
                return new Traced("?", List.of(), new ArrayList<>());
            }
            List<String> inputs = new ArrayList<>();
            for (String in : label.substring(open + 1, close).split(", ")) {
                if (!in.isEmpty()) {
                    inputs.add(in.replaceFirst("^\\^", "").replaceFirst(":\\d+$", "")); // ^control, tensor:1
                }
            }
            return new Traced(label.substring(eq + 3, open), inputs, new ArrayList<>());
        }
    }

    /** The shape of a traced node's first output, or null when the trace does not say. */
    private static long[] outputShape(NodeExecStats n) {
        for (NodeOutput o : n.getOutputList()) {
            if (o.getSlot() == 0 && o.getTensorDescription().hasShape()) {
                TensorShapeProto s = o.getTensorDescription().getShape();
                if (s.getUnknownRank() || s.getDimCount() == 0) {
                    return null;
                }
                return s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
            }
        }
        return null;
    }

    /** The fully known output shape of a node of the graph, or null (not in the file, or not known). */
    private static long[] shapeInGraph(Graph graph, String name) {
        GraphOperation op = graph.operation(name);
        if (op == null || op.numOutputs() == 0) {
            return null;
        }
        Shape s = op.output(0).shape();
        return s.isUnknown() || s.hasUnknownDimension() ? null : s.asArray();
    }

}
