package slimbench.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.NodeDef;
import slimbench.model.MappedWeights;
import slimbench.probe.CpuFeatures;

/**
 * Hands a mapped graph's convolutions to oneDNN with their filters marked constant.
 *
 * <p>TensorFlow's oneDNN pass renames {@code Conv2D}/{@code _FusedConv2D} to its
 * {@code _MklNative*} kernels and sets {@code is_filter_const} only when the filter is a
 * {@code Const} node; with it, the kernel reorders the filter into oneDNN's blocked layout once and
 * keeps it. An {@code ImmutableConst} filter is just as constant, but the pass does not know it,
 * and every inference would reorder every filter again (docs/performance.md). This binding does the
 * pass's renaming itself, with the flag set, where TensorFlow would use oneDNN for that type on
 * this machine; elsewhere (aarch64, oneDNN switched off, a type the CPU lacks) the graph is left
 * to TensorFlow's default kernels, which read the mapped filter as it is.
 */
final class OneDnnBinding {
    private static final Map<String, String> ONEDNN = Map.of(
            "Conv2D", "_MklNativeConv2D",
            "DepthwiseConv2dNative", "_MklNativeDepthwiseConv2dNative",
            "_FusedConv2D", "_MklNativeFusedConv2D",
            "_FusedDepthwiseConv2dNative", "_MklNativeFusedDepthwiseConv2dNative");
    private static final String BATCH_NORM_RELU = "_MklNativeFusedBatchNormEx";
    /** The kernel label TensorFlow's pass gives the renamed ops. */
    private static final String LABEL = "MklNameChangeOp";
    private static final Map<String, Set<DataType>> REGISTERED = new HashMap<>();

    private OneDnnBinding() {}

    /** The graph with each convolution on a mapped filter bound to oneDNN where it applies; the number bound. */
    record Bound(GraphDef graph, int convolutions) {}

    static Bound bind(GraphDef graph) {
        return bind(graph, onednnEnabled(), CpuFeatures.system());
    }

    static Bound bind(GraphDef graph, boolean enabled, CpuFeatures cpu) {
        if (!enabled) {
            return new Bound(graph, 0);
        }
        Set<String> mapped = new HashSet<>();
        for (NodeDef n : MappedWeights.mapped(graph)) {
            mapped.add(n.getName());
        }
        Map<String, List<NodeDef>> consumers = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(MappedWeights.nodeName(in), k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, NodeDef> replaced = new HashMap<>(); // by name; null drops the node
        int bound = 0;
        for (NodeDef n : graph.getNodeList()) {
            String target = ONEDNN.get(n.getOp());
            if (target == null || !mapped.contains(n.getInput(1))) {
                continue;
            }
            DataType t = n.getAttrOrThrow("T").getType();
            if (!typeOnOneDnn(t, cpu) || !registered(target).contains(t)) {
                continue;
            }
            NodeDef.Builder conv = n.toBuilder();
            if (!n.getOp().startsWith("_Fused")) {
                String fused = target.replace("_MklNative", "_MklNativeFused");
                if (registered(fused).contains(t) && fuseBiasAndActivation(conv, consumers, replaced)) {
                    target = fused;
                }
            }
            replaced.put(conv.getName(), conv.setOp(target)
                    .putAttr("is_filter_const", AttrValue.newBuilder().setB(true).build())
                    .putAttr("_kernel", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(LABEL)).build())
                    .build());
            bound++;
        }
        for (NodeDef n : graph.getNodeList()) {
            if (n.getOp().equals("AddV2")) {
                fuseResidual(n, consumers, replaced);
            } else if (n.getOp().equals("FusedBatchNormV3")) {
                DataType t = n.getAttrOrThrow("T").getType();
                if (typeOnOneDnn(t, cpu) && registered(BATCH_NORM_RELU).contains(t)) {
                    fuseBatchNormRelu(n, consumers, replaced);
                }
            }
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef n : graph.getNodeList()) {
            if (!replaced.containsKey(n.getName())) {
                out.addNode(n);
            } else if (replaced.get(n.getName()) != null) {
                out.addNode(replaced.get(n.getName()));
            }
        }
        return new Bound(out.build(), bound);
    }

    /**
     * A convolution followed by its own {@code BiasAdd} and activation (how an ahead graph keeps
     * bfloat16, for which {@code _FusedConv2D} is not defined) becomes one fused convolution that
     * takes the name of the chain's last node, so its consumers need no change. False when the
     * chain is not there.
     */
    private static boolean fuseBiasAndActivation(NodeDef.Builder conv, Map<String, List<NodeDef>> consumers,
                                                 Map<String, NodeDef> replaced) {
        NodeDef bias = soleConsumer(conv.getName(), consumers);
        if (bias == null || !bias.getOp().equals("BiasAdd") || !MappedWeights.nodeName(bias.getInput(0)).equals(conv.getName())) {
            return false;
        }
        AttrValue.ListValue.Builder ops = AttrValue.ListValue.newBuilder().addS(ByteString.copyFromUtf8("BiasAdd"));
        NodeDef last = bias;
        NodeDef act = soleConsumer(bias.getName(), consumers);
        if (act != null && (act.getOp().equals("Relu") || act.getOp().equals("Relu6"))) {
            ops.addS(ByteString.copyFromUtf8(act.getOp()));
            last = act;
        }
        replaced.put(conv.getName(), null);
        replaced.put(bias.getName(), null);
        conv.setName(last.getName()).addInput(bias.getInput(1))
                .putAttr("num_args", AttrValue.newBuilder().setI(1).build())
                .putAttr("fused_ops", AttrValue.newBuilder().setList(ops).build());
        if (conv.getOp().equals("Conv2D")) {
            conv.putAttr("TArgs", AttrValue.newBuilder().setList(
                    AttrValue.ListValue.newBuilder().addType(conv.getAttrOrThrow("T").getType())).build());
        }
        return true;
    }

    /**
     * A residual sum (and the relu after it) folded into the bound convolution that feeds it, as
     * Grappler's remapper does for oneDNN at load: {@code fused_ops = [BiasAdd, Add(, Relu)]}, the
     * shortcut as the second argument. The sum and the relu were a tenth of resnet_v1_50's op time.
     */
    private static void fuseResidual(NodeDef add, Map<String, List<NodeDef>> consumers, Map<String, NodeDef> replaced) {
        for (int i = 0; i < 2; i++) {
            NodeDef conv = replaced.get(MappedWeights.nodeName(add.getInput(i)));
            if (conv == null || !conv.getOp().equals("_MklNativeFusedConv2D")
                    || conv.getAttrOrThrow("fused_ops").getList().getSCount() != 1
                    || soleConsumer(conv.getName(), consumers) != add) {
                continue;
            }
            AttrValue.ListValue.Builder ops = conv.getAttrOrThrow("fused_ops").getList().toBuilder()
                    .addS(ByteString.copyFromUtf8("Add"));
            NodeDef last = add;
            NodeDef act = soleConsumer(add.getName(), consumers);
            if (act != null && act.getOp().equals("Relu")) {
                ops.addS(ByteString.copyFromUtf8("Relu"));
                last = act;
            }
            DataType t = conv.getAttrOrThrow("T").getType();
            replaced.put(conv.getName(), null);
            replaced.put(add.getName(), null);
            replaced.put(last.getName(), conv.toBuilder().setName(last.getName()).addInput(add.getInput(1 - i))
                    .putAttr("num_args", AttrValue.newBuilder().setI(2).build())
                    .putAttr("TArgs", AttrValue.newBuilder().setList(
                            AttrValue.ListValue.newBuilder().addType(t).addType(t)).build())
                    .putAttr("fused_ops", AttrValue.newBuilder().setList(ops).build())
                    .build());
            return;
        }
    }

    /**
     * A batch norm and the relu after it (resnet_v2's pre-activations, which fold into no kernel)
     * as one oneDNN kernel, what Grappler's remapper and oneDNN's pass make of them at load. The
     * file keeps them apart: {@code _FusedBatchNormEx}'s CPU kernel is an empty stand-in without oneDNN.
     */
    private static void fuseBatchNormRelu(NodeDef bn, Map<String, List<NodeDef>> consumers,
                                          Map<String, NodeDef> replaced) {
        NodeDef relu = soleConsumer(bn.getName(), consumers);
        if (relu == null || !relu.getOp().equals("Relu") || bn.getAttrOrThrow("is_training").getB()) {
            return;
        }
        replaced.put(bn.getName(), null);
        replaced.put(relu.getName(), bn.toBuilder().setName(relu.getName()).setOp(BATCH_NORM_RELU)
                .putAttr("activation_mode", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("Relu")).build())
                .putAttr("num_side_inputs", AttrValue.newBuilder().setI(0).build())
                .putAttr("_kernel", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(LABEL)).build())
                .build());
    }

    private static NodeDef soleConsumer(String name, Map<String, List<NodeDef>> consumers) {
        List<NodeDef> c = consumers.getOrDefault(name, List.of());
        return c.size() == 1 ? c.get(0) : null;
    }


    /**
     * Where TensorFlow itself runs a type through oneDNN: float always, bfloat16 on AVX-512, half
     * only with AVX512-FP16 (without it half stays on Eigen).
     */
    static boolean typeOnOneDnn(DataType t, CpuFeatures cpu) {
        return switch (t) {
            case DT_FLOAT -> true;
            case DT_BFLOAT16 -> cpu.has("avx512f");
            case DT_HALF -> cpu.hasAvx512Fp16() || cpu.has("amx_fp16");
            default -> false;
        };
    }

    /** oneDNN's graph pass runs on x86-64 unless {@code TF_ENABLE_ONEDNN_OPTS} turns it off. */
    static boolean onednnEnabled() {
        String arch = System.getProperty("os.arch", "");
        String opt = System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "1").toLowerCase(Locale.ROOT);
        return (arch.equals("amd64") || arch.equals("x86_64")) && !opt.equals("0") && !opt.equals("false");
    }

    /** The types this native library registers a CPU kernel of {@code op} for, with oneDNN's label. */
    private static synchronized Set<DataType> registered(String op) {
        return REGISTERED.computeIfAbsent(op, o -> {
            TensorFlowRuntime.tensorflowVersion(); // the native library is loaded
            Set<DataType> types = new HashSet<>();
            try (TF_Status status = tensorflow.TF_NewStatus()) {
                TF_Buffer buf = tensorflow.TF_GetRegisteredKernelsForOp(o, status);
                if (tensorflow.TF_GetCode(status) != tensorflow.TF_OK || buf == null) {
                    return types;
                }
                try {
                    for (KernelDef k : KernelList.parseFrom(buf.dataAsByteBuffer()).getKernelList()) {
                        if (k.getDeviceType().equals("CPU") && k.getLabel().equals(LABEL)) {
                            for (KernelDef.AttrConstraint c : k.getConstraintList()) {
                                if (c.getName().equals("T")) {
                                    types.addAll(c.getAllowedValues().getList().getTypeList());
                                }
                            }
                        }
                    }
                } catch (InvalidProtocolBufferException e) {
                    return types;
                } finally {
                    tensorflow.TF_DeleteBuffer(buf);
                }
            }
            return types;
        });
    }
}
