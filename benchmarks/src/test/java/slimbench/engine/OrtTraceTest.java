package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import slimbench.engine.OpProfile.Kind;
import slimbench.model.Engine;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/** ONNX Runtime's profiler read into the same profile as TensorFlow's trace. */
class OrtTraceTest {
    @TempDir
    static Path cache;

    /** A kernel event as ONNX Runtime writes it: microseconds, op type and typed shapes in args. */
    private static String kernel(String node, String op, long ts, long dur, String inputs, String output) {
        return "{\"cat\" : \"Node\",\"pid\" :1,\"tid\" :1,\"dur\" :" + dur + ",\"ts\" :" + ts + ",\"ph\" : \"X\",\"name\" :\""
                + node + "_kernel_time\",\"args\" : {\"thread_scheduling_stats\" : \"\",\"output_type_shape\" : [{\"float\":"
                + output + "}],\"input_type_shape\" : [" + inputs + "],\"provider\" : \"CPUExecutionProvider\",\"op_name\" : \""
                + op + "\"}}";
    }

    private static String session(String name, long ts, long dur) {
        return "{\"cat\" : \"Session\",\"pid\" :1,\"tid\" :1,\"dur\" :" + dur + ",\"ts\" :" + ts
                + ",\"ph\" : \"X\",\"name\" :\"" + name + "\",\"args\" : {}}";
    }

    /** One run from {@code t0}: a convolution, a depthwise one, a ReLU and a transposed Gemm, times in us. */
    private static List<String> run(long t0, long conv, long depthwise, long relu, long gemm) {
        List<String> e = new ArrayList<>();
        e.add(kernel("conv", "Conv", t0 + 10, conv, "{\"float\":[1,8,12,12]},{\"float\":[16,8,3,3]},{\"float\":[16]}",
                "[1,16,10,10]"));
        e.add(kernel("dw", "Conv", t0 + 10 + conv, depthwise, "{\"float\":[1,16,10,10]},{\"float\":[16,1,3,3]}",
                "[1,16,10,10]"));
        e.add(kernel("relu", "Relu", t0 + 10 + conv + depthwise, relu, "{\"float\":[1,16,10,10]}", "[1,16,10,10]"));
        long g = t0 + 10 + conv + depthwise + relu;
        e.add(kernel("fc", "Gemm", g, gemm, "{\"float\":[1,1600]},{\"float\":[10,1600]},{\"float\":[10]}", "[1,10]"));
        e.add(session("SequentialExecutor::Execute", t0 + 5, g + gemm - t0));
        e.add(session("model_run", t0, g + gemm + 5 - t0));
        return e;
    }

    private static String trace(List<List<String>> runs) {
        List<String> events = new ArrayList<>(List.of(session("model_loading_array", 0, 50),
                session("session_initialization", 60, 900)));
        runs.forEach(events::addAll);
        return "[\n" + String.join(",\n", events) + "\n]\n";
    }

    @Test
    void aggregatesAHandWrittenTraceExactlyAndSkipsTheRunsBeforeTheTracedOnes() {
        String json = trace(List.of(run(1_000, 900, 900, 900, 900), run(10_000, 100, 20, 5, 16),
                run(11_000, 120, 30, 6, 16), run(12_000, 130, 40, 4, 16)));
        OpProfile p = OrtTrace.of(JsonParser.parseString(json), 3);

        assertEquals(3, p.runs());
        assertEquals(List.of("conv", "dw", "relu", "fc"), p.nodes().stream().map(OpProfile.Node::name).toList());
        OpProfile.Node conv = p.nodes().get(0);
        assertEquals(Kind.CONVOLUTION, conv.kind());
        assertEquals(0.120, conv.ms(), 1e-12); // median of 100, 120, 130 us; the 900 us warm-up is not counted
        assertEquals(2L * 16 * 10 * 10 * 8 * 3 * 3, conv.flops());
        OpProfile.Node dw = p.nodes().get(1);
        assertEquals(2L * 16 * 10 * 10 * 3 * 3, dw.flops(), "a depthwise filter [C, 1, kh, kw]");
        assertEquals(0.030, dw.ms(), 1e-12);
        OpProfile.Node fc = p.nodes().get(3);
        assertEquals(Kind.MATMUL, fc.kind());
        assertEquals(2L * 10 * 1600, fc.flops(), "a transposed [N, K] weight");
        assertEquals(0, p.nodes().get(2).flops());
        assertEquals(0.120 + 0.030 + 0.005 + 0.016, p.opMs(), 1e-12);
        assertEquals(0.172, p.stepMs(), 1e-12); // the median run's first kernel start to last kernel end: 141, 172, 190 us
        assertEquals(List.of("Conv", "Gemm", "Relu"), p.types().stream().map(OpProfile.OpType::op).toList());
        assertEquals(2, p.types().get(0).nodes());
        assertEquals(1.0, p.types().stream().mapToDouble(OpProfile.OpType::opShare).sum(), 1e-12);
    }

    @Test
    void aTraceThatIsNotOnnxRuntimesOrTooShortIsRefusedSayingWhy() {
        String oneRun = trace(List.of(run(10_000, 100, 20, 5, 16)));
        IllegalStateException few = assertThrows(IllegalStateException.class,
                () -> OrtTrace.of(JsonParser.parseString(oneRun), 2));
        assertEquals("the trace holds 1 runs, not the 2 traced", few.getMessage());
        assertThrows(IllegalStateException.class, () -> OrtTrace.of(JsonParser.parseString("{\"traceEvents\": []}"), 1));
        String noKernels = trace(List.of(List.of(session("model_run", 10_000, 50))));
        assertEquals("traced run 1 holds no kernel events",
                assertThrows(IllegalStateException.class, () -> OrtTrace.of(JsonParser.parseString(noKernels), 1))
                        .getMessage());
    }

    @Test
    void macsAreTheOutputsTimesTheWeightsEachTakes() {
        assertEquals(64L * 56 * 56 * 64 * 3 * 3, OrtTrace.macs(Kind.CONVOLUTION, "c", new long[] {1, 64, 56, 56},
                new long[] {64, 64, 3, 3}));
        assertEquals(4L * 1000 * 2048, OrtTrace.macs(Kind.MATMUL, "m", new long[] {4, 1000}, new long[] {2048, 1000}));
        assertEquals(Kind.OTHER, OrtTrace.kind("ConvTranspose"));
        assertEquals(Kind.MATMUL, OrtTrace.kind("FusedMatMul"));
        assertThrows(IllegalStateException.class, () -> OrtTrace.macs(Kind.CONVOLUTION, "c", new long[] {1, 4}, null));
    }

    /**
     * Channel counts that are multiples of 16 fill ONNX Runtime's NCHWc blocks (16 floats with
     * AVX-512, 8 with AVX2), so the executed kernels do exactly the model's MACs.
     */
    static Stream<Arguments> blockFillingModels() {
        return Stream.of(Arguments.of(Model.MOBILENET_V1), Arguments.of(Model.RESNET_V1_50));
    }

    @ParameterizedTest
    @MethodSource("blockFillingModels")
    void kernelFlopsAreTheModelsMacsTwiceWhereChannelsFillTheBlocks(Model model) throws Exception {
        OpProfile.Measured m = OpProfile.measure(cache, new OpProfile.Options(Engine.ONNXRUNTIME, model, Precision.FP32,
                Optimize.AHEAD, Scale.parse("64:0.5:16"), 1, 3));
        OpProfile p = m.ops();
        assertEquals(3, p.runs());
        assertEquals(2.0 * m.modelMacs(), p.flops(Kind.CONVOLUTION) + p.flops(Kind.MATMUL), 0.001 * 2 * m.modelMacs(),
                model.label());
        assertTrue(p.nodes().stream().filter(n -> n.kind() == Kind.CONVOLUTION).count() > 10, p.nodes().toString());
        assertTrue(p.opMs() > 0 && p.stepMs() >= p.opMs() && m.untracedMs() > 0 && m.tracedCallMs() > 0, m.toString());
    }

    /** ONNX Runtime's x86 kernels are NCHWc; a tiny model's 4 channels fill no block of 8 or 16. */
    @Test
    void aTinyModelsPaddedChannelsShowAsMoreFlopsThanTheModelHas() throws Exception {
        OpProfile.Measured m = OpProfile.measure(cache, new OpProfile.Options(Engine.ONNXRUNTIME, Model.MOBILENET_V2,
                Precision.FP32, Optimize.AHEAD, Scale.TINY, 1, 2));
        long flops = m.ops().flops(Kind.CONVOLUTION) + m.ops().flops(Kind.MATMUL);
        if (System.getProperty("os.arch").equals("amd64")) {
            assertTrue(flops > 2 * m.modelMacs(), flops + " FLOPs for " + m.modelMacs() + " MACs");
        } else {
            assertTrue(flops >= 2 * m.modelMacs(), flops + " FLOPs for " + m.modelMacs() + " MACs");
        }
    }
}
