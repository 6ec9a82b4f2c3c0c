package slimbench.model;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns a frozen graph back into the graph a TF1 training job would have exported: every weight
 * {@code Const} becomes a {@code VariableV2} of the same (slim) name read through {@code <name>/read},
 * plus the save/restore subgraph {@code tf.compat.v1.train.Saver} builds, so that TensorFlow's
 * SavedModel loader restores the weights from {@code variables/}. Done on the proto, after the
 * frozen graph is built, so {@link Net} keeps emitting one thing.
 */
public final class SavedModels {
    /** Where the loader feeds the variables' path, and the op it runs to restore them. */
    static final String FILENAME_TENSOR = "save/Const:0";
    static final String RESTORE_OP = "save/restore_all";

    /**
     * A graph with variables: the graph to export, how to save and restore it, and the weight
     * {@code Const}s of the frozen graph in graph order (what the {@code variables/} files hold).
     */
    public record WithVariables(GraphDef graph, SaverDef saver, List<NodeDef> weights) {}

    private SavedModels() {}

    /**
     * The frozen {@code graph} with the {@code Const}s named in {@code variableNames} (slim's names)
     * turned into variables. With {@link Optimize#AHEAD} the folded kernels and biases
     * ({@code <scope>/folded_weights}, {@code folded_biases}) are the weights and become variables too.
     */
    public static WithVariables withVariables(GraphDef graph, Collection<String> variableNames) {
        Set<String> wanted = new HashSet<>(variableNames);
        List<NodeDef> weights = new ArrayList<>();
        Map<String, String> reads = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            if (n.getOp().equals("Const") && isWeight(n.getName(), wanted)) {
                weights.add(n);
                reads.put(n.getName(), n.getName() + "/read");
            }
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("the graph has no weight constants to turn into variables");
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef n : graph.getNodeList()) {
            if (reads.containsKey(n.getName())) {
                DataType dtype = n.getAttrOrThrow("dtype").getType();
                TensorShapeProto shape = n.getAttrOrThrow("value").getTensor().getTensorShape();
                out.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("VariableV2")
                        .putAttr("dtype", type(dtype))
                        .putAttr("shape", AttrValue.newBuilder().setShape(shape).build())
                        .putAttr("container", string(""))
                        .putAttr("shared_name", string("")));
                out.addNode(NodeDef.newBuilder().setName(n.getName() + "/read").setOp("Identity").addInput(n.getName())
                        .putAttr("T", type(dtype))
                        .putAttr("_class", colocatedWith(n.getName())));
            } else {
                out.addNode(rewire(n, reads));
            }
        }
        addSaver(out, weights);
        SaverDef saver = SaverDef.newBuilder()
                .setFilenameTensorName(FILENAME_TENSOR)
                .setSaveTensorName("save/control_dependency:0")
                .setRestoreOpName(RESTORE_OP)
                .setMaxToKeep(5)
                .setKeepCheckpointEveryNHours(10000f)
                .setVersion(SaverDef.CheckpointFormatVersion.V2)
                .build();
        return new WithVariables(out.build(), saver, List.copyOf(weights));
    }

    /**
     * Writes the weights' values as a V2 checkpoint at {@code prefix} ({@code prefix.index} and
     * {@code prefix.data-00000-of-00001}) with TensorFlow's own {@code SaveV2}, each under its node name.
     */
    public static void saveWeights(List<NodeDef> weights, Path prefix) {
        GraphDef.Builder g = GraphDef.newBuilder();
        g.addNode(stringConst("save_weights/prefix", List.of(prefix.toString()), false));
        List<String> names = weights.stream().map(NodeDef::getName).toList();
        g.addNode(stringConst("save_weights/tensor_names", names, true));
        g.addNode(stringConst("save_weights/shape_and_slices", names.stream().map(x -> "").toList(), true));
        NodeDef.Builder save = NodeDef.newBuilder().setName("save_weights/SaveV2").setOp("SaveV2")
                .addInput("save_weights/prefix").addInput("save_weights/tensor_names")
                .addInput("save_weights/shape_and_slices");
        AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
        for (NodeDef w : weights) {
            g.addNode(w);
            save.addInput(w.getName());
            dtypes.addType(w.getAttrOrThrow("dtype").getType());
        }
        g.addNode(save.putAttr("dtypes", AttrValue.newBuilder().setList(dtypes).build()));
        try (Graph graph = new Graph(); Session s = new Session(graph)) {
            graph.importGraphDef(g.build());
            s.runner().addTarget("save_weights/SaveV2").run();
        }
    }

    private static boolean isWeight(String name, Set<String> wanted) {
        return wanted.contains(name) || name.endsWith("/folded_weights") || name.endsWith("/folded_biases");
    }

    /** {@code n} reading {@code <weight>/read} wherever it read a weight. */
    private static NodeDef rewire(NodeDef n, Map<String, String> reads) {
        NodeDef.Builder b = null;
        for (int i = 0; i < n.getInputCount(); i++) {
            String in = n.getInput(i);
            boolean control = in.startsWith("^");
            String node = control ? in.substring(1) : in.endsWith(":0") ? in.substring(0, in.length() - 2) : in;
            String read = reads.get(node);
            if (read != null) {
                if (b == null) {
                    b = n.toBuilder();
                }
                b.setInput(i, control ? "^" + read : read);
            }
        }
        return b == null ? n : b.build();
    }

    /** The nodes {@code tf.compat.v1.train.Saver} adds, under the names it gives them. */
    private static void addSaver(GraphDef.Builder g, List<NodeDef> weights) {
        List<String> names = weights.stream().map(NodeDef::getName).toList();
        List<String> empty = names.stream().map(x -> "").toList();
        AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
        weights.forEach(w -> dtypes.addType(w.getAttrOrThrow("dtype").getType()));
        AttrValue dtypeList = AttrValue.newBuilder().setList(dtypes).build();

        g.addNode(stringConst("save/filename/input", List.of("model"), false));
        g.addNode(NodeDef.newBuilder().setName("save/filename").setOp("PlaceholderWithDefault")
                .addInput("save/filename/input")
                .putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.getDefaultInstance()).build()));
        g.addNode(NodeDef.newBuilder().setName("save/Const").setOp("PlaceholderWithDefault")
                .addInput("save/filename")
                .putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.getDefaultInstance()).build()));

        g.addNode(stringConst("save/SaveV2/tensor_names", names, true));
        g.addNode(stringConst("save/SaveV2/shape_and_slices", empty, true));
        NodeDef.Builder save = NodeDef.newBuilder().setName("save/SaveV2").setOp("SaveV2")
                .addInput("save/Const").addInput("save/SaveV2/tensor_names").addInput("save/SaveV2/shape_and_slices");
        names.forEach(save::addInput);
        g.addNode(save.putAttr("dtypes", dtypeList));
        g.addNode(NodeDef.newBuilder().setName("save/control_dependency").setOp("Identity")
                .addInput("save/Const").addInput("^save/SaveV2")
                .putAttr("T", type(DataType.DT_STRING))
                .putAttr("_class", colocatedWith("save/Const")));

        g.addNode(stringConst("save/RestoreV2/tensor_names", names, true));
        g.addNode(stringConst("save/RestoreV2/shape_and_slices", empty, true));
        g.addNode(NodeDef.newBuilder().setName("save/RestoreV2").setOp("RestoreV2")
                .addInput("save/Const").addInput("save/RestoreV2/tensor_names")
                .addInput("save/RestoreV2/shape_and_slices")
                .putAttr("dtypes", dtypeList));
        NodeDef.Builder restoreAll = NodeDef.newBuilder().setName(RESTORE_OP).setOp("NoOp");
        for (int i = 0; i < weights.size(); i++) {
            String assign = i == 0 ? "save/Assign" : "save/Assign_" + i;
            g.addNode(NodeDef.newBuilder().setName(assign).setOp("Assign")
                    .addInput(names.get(i)).addInput("save/RestoreV2:" + i)
                    .putAttr("T", type(weights.get(i).getAttrOrThrow("dtype").getType()))
                    .putAttr("validate_shape", AttrValue.newBuilder().setB(true).build())
                    .putAttr("use_locking", AttrValue.newBuilder().setB(true).build())
                    .putAttr("_class", colocatedWith(names.get(i))));
            restoreAll.addInput("^" + assign);
        }
        g.addNode(restoreAll);
    }

    private static NodeDef stringConst(String name, List<String> values, boolean vector) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (vector) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(values.size()));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape);
        values.forEach(v -> t.addStringVal(ByteString.copyFromUtf8(v)));
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build())
                .build();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static AttrValue string(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    private static AttrValue colocatedWith(String node) {
        return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addS(ByteString.copyFromUtf8("loc:@" + node))).build();
    }
}
