package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.NodeOutput;
import org.tensorflow.proto.StepStats;
import org.tensorflow.proto.TensorDescription;
import org.tensorflow.proto.TensorShapeProto;
import slimbench.engine.OpProfile.Kind;
import slimbench.model.Engine;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

class OpProfileTest {
    @TempDir
    static Path cache;

    private static final long T0 = 1_000_000_000L;
    private static final long US = 1000;

    /** A traced node: its op takes {@code opUs} and ends its record {@code endUs} after {@code startUs}. */
    private static NodeExecStats node(String name, String label, long startUs, long opUs, long endUs, long... shape) {
        NodeExecStats.Builder n = NodeExecStats.newBuilder().setNodeName(name).setTimelineLabel(label)
                .setAllStartNanos(T0 + startUs * US).setOpStartRelNanos(100).setOpEndRelNanos(100 + opUs * US)
                .setAllEndRelNanos(endUs * US);
        if (shape.length > 0) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : shape) {
                s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
            }
            n.addOutput(NodeOutput.newBuilder().setSlot(0).setTensorDescription(TensorDescription.newBuilder().setShape(s)));
        }
        return n.build();
    }

    /** One run: op times of w, conv, relu, relu2, fc in microseconds, and the step's span. */
    private static StepStats run(long w, long conv, long relu, long relu2, long fc, long span) {
        return StepStats.newBuilder().addDevStats(DeviceStepStats.newBuilder().setDevice("/device:CPU:0")
                .addNodeStats(node("w", "w = Const()", 0, w, w + 1, 3, 3, 4, 8))
                .addNodeStats(node("conv", "[mklcpu 0.2MB 0.2MB] conv = _MklNativeFusedConv2D(x, w, b)", 10, conv,
                        conv + 1, 1, 10, 10, 8))
                .addNodeStats(node("relu", "relu = Relu(conv)", 140, relu, relu + 1, 1, 10, 10, 8))
                .addNodeStats(node("relu2", "relu2 = Relu(relu, ^w)", 150, relu2, relu2 + 1, 1, 10, 10, 8))
                // fcw is not traced: its shape comes from the graph; ":0" names the same tensor.
                .addNodeStats(node("fc", "fc = _MklMatMul(relu2, fcw:0)", span - 20, fc, 20, 1, 10)))
                .build();
    }

    @Test
    void aggregatesHandBuiltStepStatsExactly() {
        List<StepStats> runs = List.of(run(4, 100, 14, 5, 16, 190), run(3, 120, 15, 5, 16, 200),
                run(5, 130, 40, 5, 16, 260));
        OpProfile p = OpProfile.of(runs, name -> name.equals("fcw") ? new long[] {800, 10} : null);

        assertEquals(3, p.runs());
        assertEquals(List.of("w", "conv", "relu", "relu2", "fc"), p.nodes().stream().map(OpProfile.Node::name).toList());
        OpProfile.Node conv = p.nodes().get(1);
        assertEquals("_MklNativeFusedConv2D", conv.op());
        assertEquals(Kind.CONVOLUTION, conv.kind());
        assertEquals(0.120, conv.ms(), 1e-12); // median of 100, 120, 130 us
        assertEquals(2L * 10 * 10 * 3 * 3 * 4 * 8, conv.flops());
        assertEquals(0.48, conv.gflops(), 1e-12);
        OpProfile.Node fc = p.nodes().get(4);
        assertEquals(2L * 800 * 10, fc.flops());
        assertEquals(1.0, fc.gflops(), 1e-12);
        assertEquals(0, p.nodes().get(2).flops());

        assertEquals(0.160, p.opMs(), 1e-12);
        assertEquals(0.200, p.stepMs(), 1e-12);
        // Slowest first: conv 120 us, relu 15 + 5, matmul 16, const 4.
        assertEquals(List.of("_MklNativeFusedConv2D", "Relu", "_MklMatMul", "Const"),
                p.types().stream().map(OpProfile.OpType::op).toList());
        OpProfile.OpType relu = p.types().get(1);
        assertEquals(2, relu.nodes());
        assertEquals(0.020, relu.ms(), 1e-12);
        assertEquals(0.125, relu.opShare(), 1e-12);
        assertEquals(0.100, relu.wallShare(), 1e-12);
        assertEquals(0.75, p.types().get(0).opShare(), 1e-12);
        assertEquals(0.60, p.types().get(0).wallShare(), 1e-12);
        assertEquals(0.120, p.ms(Kind.CONVOLUTION), 1e-12);
        assertEquals(16_000, p.flops(Kind.MATMUL));
    }

    static Stream<Arguments> tinyModels() {
        return Stream.of(Arguments.of(Model.MOBILENET_V1, Optimize.AHEAD), Arguments.of(Model.MOBILENET_V1, Optimize.AT_LOAD),
                Arguments.of(Model.RESNET_V1_50, Optimize.AHEAD), Arguments.of(Model.RESNET_V1_50, Optimize.AT_LOAD),
                Arguments.of(Model.INCEPTION_V4, Optimize.AHEAD)); // its logits are a MatMul
    }

    @ParameterizedTest
    @MethodSource("tinyModels")
    void kernelFlopsAreTheModelsMacsTwice(Model model, Optimize optimize) throws Exception {
        OpProfile.Measured m = OpProfile.measure(cache,
                new OpProfile.Options(Engine.TENSORFLOW, model, Precision.FP32, optimize, Scale.TINY, 1, 3));
        OpProfile p = m.ops();
        long flops = p.flops(Kind.CONVOLUTION) + p.flops(Kind.MATMUL);
        assertEquals(2.0 * m.modelMacs(), flops, 0.01 * 2 * m.modelMacs(), model + " " + optimize);
        List<OpProfile.Node> convs = p.nodes().stream().filter(n -> n.kind() == Kind.CONVOLUTION).toList();
        assertTrue(convs.size() > 10, convs.size() + " convolution nodes");
        convs.forEach(n -> assertTrue(n.ms() > 0 && n.flops() > 0, n.toString()));
        assertEquals(1.0, p.types().stream().mapToDouble(OpProfile.OpType::opShare).sum(), 1e-9);
        double wall = p.types().stream().mapToDouble(OpProfile.OpType::wallShare).sum();
        assertEquals(p.opMs() / p.stepMs(), wall, 1e-9);
        assertTrue(p.opMs() > 0 && p.stepMs() > 0 && m.untracedMs() > 0 && m.tracedCallMs() > 0 && m.peakGflops() > 0,
                m.toString());
    }
}
