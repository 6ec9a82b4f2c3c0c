package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import slimbench.model.MappedWeights;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.model.Weights;
import slimbench.probe.CpuFeatures;

/** Which convolutions go to oneDNN with their filter marked constant, and which stay as they are. */
class OneDnnBindingTest {
    private static final CpuFeatures AVX512 = CpuFeatures.of(List.of("avx512f", "avx512_bf16"));
    private static final CpuFeatures FP16 = CpuFeatures.of(List.of("avx512f", "avx512_fp16"));

    @Test
    void everyMappedConvolutionIsBoundWithItsFilterConstant() {
        GraphDef g = mapped(Model.MOBILENET_V1, Precision.FP32);
        OneDnnBinding.Bound b = OneDnnBinding.bind(g, true, AVX512);
        assertEquals(MappedWeights.mapped(g).size(), b.convolutions());
        for (NodeDef n : b.graph().getNodeList()) {
            assertFalse(MappedWeights.CONVOLUTIONS.contains(n.getOp()), n.getName() + " left unbound");
            if (n.getOp().startsWith("_MklNative")) {
                assertTrue(n.getAttrOrThrow("is_filter_const").getB());
                assertEquals("MklNameChangeOp", n.getAttrOrThrow("_kernel").getS().toStringUtf8());
            }
        }
        assertTrue(b.graph().getNodeList().stream().anyMatch(n -> n.getOp().equals("_MklNativeFusedDepthwiseConv2dNative")));
    }

    @Test
    void bfloat16ConvolutionBiasAndReluBecomeOneFusedKernel() {
        GraphDef g = mapped(Model.VGG_16, Precision.BF16);
        long biasAdds = g.getNodeList().stream().filter(n -> n.getOp().equals("BiasAdd")).count();
        OneDnnBinding.Bound b = OneDnnBinding.bind(g, true, AVX512);
        assertEquals(16, b.convolutions());
        assertEquals(0, b.graph().getNodeList().stream().filter(n -> n.getOp().equals("BiasAdd")).count());
        // 15 conv+bias+relu chains fold into the relu's node, fc8 (no activation) into its BiasAdd's
        assertEquals(16, biasAdds);
        assertEquals(g.getNodeCount() - 2 * 15 - 1, b.graph().getNodeCount());
        NodeDef fc7 = b.graph().getNodeList().stream().filter(n -> n.getName().equals("vgg_16/fc7/Relu")).findFirst().orElseThrow();
        assertEquals("_MklNativeFusedConv2D", fc7.getOp());
        assertEquals(List.of("BiasAdd", "Relu"), fc7.getAttrOrThrow("fused_ops").getList().getSList().stream()
                .map(x -> x.toStringUtf8()).toList());
        assertEquals(3, fc7.getInputCount());
    }

    @Test
    void residualSumsAndTheirReluJoinTheConvolutionThatFeedsThem() {
        OneDnnBinding.Bound v1 = OneDnnBinding.bind(mapped(Model.RESNET_V1_50, Precision.FP32), true, AVX512);
        assertEquals(0, v1.graph().getNodeList().stream().filter(n -> n.getOp().equals("AddV2")).count());
        List<NodeDef> sums = v1.graph().getNodeList().stream()
                .filter(n -> n.getAttrMap().containsKey("fused_ops")
                        && n.getAttrOrThrow("fused_ops").getList().getSList().stream().anyMatch(x -> x.toStringUtf8().equals("Add")))
                .toList();
        assertEquals(3 + 4 + 6 + 3, sums.size(), "one per bottleneck unit");
        for (NodeDef n : sums) {
            assertEquals(List.of("BiasAdd", "Add", "Relu"), n.getAttrOrThrow("fused_ops").getList().getSList().stream()
                    .map(x -> x.toStringUtf8()).toList());
            assertEquals(4, n.getInputCount(), n.getName() + ": input, filter, bias, shortcut");
            assertEquals(2, n.getAttrOrThrow("num_args").getI());
            assertTrue(n.getName().endsWith("/Relu"), n.getName() + " takes the relu's name");
        }
        // resnet_v2 has no relu after its sums; its pre-activation batch norms and relus become one kernel
        OneDnnBinding.Bound v2 = OneDnnBinding.bind(mapped(Model.RESNET_V2_50, Precision.FP32), true, AVX512);
        assertEquals(0, v2.graph().getNodeList().stream().filter(n -> n.getOp().equals("AddV2")).count());
        assertEquals(0, v2.graph().getNodeList().stream().filter(n -> n.getOp().equals("FusedBatchNormV3")).count());
        assertEquals(3 + 4 + 6 + 3 + 1, v2.graph().getNodeList().stream()
                .filter(n -> n.getOp().equals("_MklNativeFusedBatchNormEx")).count(), "each unit's preact and postnorm");
    }

    @Test
    void nothingIsBoundWhereOneDnnDoesNotRunTheType() {
        GraphDef half = mapped(Model.RESNET_V1_50, Precision.FP16);
        assertEquals(0, OneDnnBinding.bind(half, true, AVX512).convolutions(), "half without AVX512-FP16 stays on Eigen");
        assertTrue(OneDnnBinding.bind(half, true, FP16).convolutions() > 0);
        GraphDef bf16 = mapped(Model.RESNET_V1_50, Precision.BF16);
        assertEquals(0, OneDnnBinding.bind(bf16, true, CpuFeatures.of(List.of("avx2"))).convolutions());
        GraphDef fp32 = mapped(Model.RESNET_V1_50, Precision.FP32);
        assertEquals(fp32, OneDnnBinding.bind(fp32, false, AVX512).graph(), "oneDNN off: the graph as it is");
    }

    @Test
    void typeRules() {
        assertTrue(OneDnnBinding.typeOnOneDnn(DataType.DT_FLOAT, CpuFeatures.of(List.of())));
        assertTrue(OneDnnBinding.typeOnOneDnn(DataType.DT_BFLOAT16, AVX512));
        assertFalse(OneDnnBinding.typeOnOneDnn(DataType.DT_HALF, AVX512));
        assertTrue(OneDnnBinding.typeOnOneDnn(DataType.DT_HALF, FP16));
    }

    private static GraphDef mapped(Model m, Precision p) {
        GraphDef g = m.build(Scale.TINY, p, Optimize.AHEAD, Weights.seeded(1)).graph();
        return MappedWeights.split(g, "w").graph();
    }
}
