package slimbench.model;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The ops of a TensorFlow graph that {@link OpScreen} refuses: every node of the graph and of its
 * function library whose op is in {@link OpScreen#DENIED}, and every {@code ImmutableConst} that
 * maps a file other than one in the graph's weights folder (the only files SlimBench's loader maps).
 *
 * <p>A SavedModel keeps the checkpoint ops of its own saver: TensorFlow's loader runs the restore op
 * with the path of the model's {@code variables/} fed in, and never runs the save. So a restore op
 * reached only from the saver's restore or save, and a save op reached only from its save, pass;
 * the same op reached from anything else (a signature's output, an init op, any node outside the
 * saver) is refused like any other.
 */
final class TfGraphOps {
    private static final Set<String> RESTORE_OPS = Set.of("Restore", "RestoreSlice", "RestoreV2");
    private static final Set<String> SAVE_OPS = Set.of("Save", "SaveSlices", "SaveV2", "MergeV2Checkpoints");

    /** The graph nodes and library functions some roots reach, following inputs and function calls. */
    private record Reach(Set<String> nodes, Set<String> functions) {
        static final Reach NONE = new Reach(Set.of(), Set.of());
    }

    private TfGraphOps() {}

    static List<OpScreen.Found> frozen(CodedInputStream in, Path file) throws IOException {
        return screen(GraphDef.parseFrom(in), null, List.of(), MappedWeights.folderOf(file.toAbsolutePath()));
    }

    static List<OpScreen.Found> savedModel(CodedInputStream in) throws IOException {
        List<OpScreen.Found> out = new ArrayList<>();
        for (MetaGraphDef m : SavedModel.parseFrom(in).getMetaGraphsList()) {
            List<String> outputs = m.getSignatureDefMap().values().stream()
                    .flatMap(s -> s.getOutputsMap().values().stream()).map(TensorInfo::getName).toList();
            out.addAll(screen(m.getGraphDef(), m.hasSaverDef() ? m.getSaverDef() : null, outputs, null));
        }
        return out;
    }

    /**
     * @param saver   the SavedModel's saver, or null
     * @param outputs tensors its signatures return, which run whatever they reach
     * @param weights the folder a frozen graph's {@code ImmutableConst}s may map, or null (none may)
     */
    private static List<OpScreen.Found> screen(GraphDef g, SaverDef saver, Collection<String> outputs, Path weights)
            throws IOException {
        Map<String, NodeDef> nodes = new LinkedHashMap<>();
        g.getNodeList().forEach(n -> nodes.put(n.getName(), n));
        Map<String, FunctionDef> library = new LinkedHashMap<>();
        g.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));

        Reach save = saver == null ? Reach.NONE : reach(nodes, library, List.of(nodeOf(saver.getSaveTensorName())));
        Reach restore = saver == null ? Reach.NONE : reach(nodes, library, List.of(nodeOf(saver.getRestoreOpName())));
        List<String> roots = new ArrayList<>(outputs.stream().map(TfGraphOps::nodeOf).toList());
        for (String n : nodes.keySet()) {
            if (!save.nodes().contains(n) && !restore.nodes().contains(n)) {
                roots.add(n);
            }
        }
        Reach other = reach(nodes, library, roots);
        Set<String> otherFunctions = new HashSet<>(other.functions());
        library.keySet().stream().filter(f -> !save.functions().contains(f) && !restore.functions().contains(f))
                .forEach(otherFunctions::add); // called by nothing the saver runs: treated as run

        List<OpScreen.Found> out = new ArrayList<>();
        for (NodeDef n : nodes.values()) {
            String name = n.getName();
            check(n, null, saverOwns(n.getOp(), save.nodes().contains(name), restore.nodes().contains(name),
                    other.nodes().contains(name)), weights, out);
        }
        for (FunctionDef f : library.values()) {
            String name = f.getSignature().getName();
            boolean owned = saver != null && !otherFunctions.contains(name);
            for (NodeDef n : f.getNodeDefList()) {
                check(n, name, owned && saverOwns(n.getOp(), save.functions().contains(name),
                        restore.functions().contains(name), false), null, out);
            }
        }
        return out;
    }

    /** Whether a checkpoint op belongs to the saver alone: a restore the loader runs, or a save nobody runs. */
    private static boolean saverOwns(String op, boolean inSave, boolean inRestore, boolean inOther) {
        return !inOther && (RESTORE_OPS.contains(op) && (inSave || inRestore) || SAVE_OPS.contains(op) && inSave && !inRestore);
    }

    private static void check(NodeDef n, String function, boolean saverOwns, Path weights, List<OpScreen.Found> out)
            throws IOException {
        if (n.getOp().equals(MappedWeights.OP)) {
            String region = n.getAttrOrDefault(MappedWeights.REGION, AttrValue.getDefaultInstance()).getS().toStringUtf8();
            if (function != null || !inside(weights, region)) {
                out.add(new OpScreen.Found(n.getOp(), n.getName(), function, "maps the file '" + region
                        + "', not one of the graph's own weights folder"));
            }
            return;
        }
        String does = OpScreen.DENIED.get(n.getOp());
        if (does != null && !saverOwns) {
            out.add(new OpScreen.Found(n.getOp(), n.getName(), function, does));
        }
    }

    /**
     * Whether a mapped region is a file in the weights folder, links resolved: the loader resolves a
     * region against the graph's folder, so an absolute name, a {@code ..} or a link could map any
     * file. A region whose file is missing maps nothing: the loader refuses the graph for it.
     */
    private static boolean inside(Path weights, String region) throws IOException {
        if (weights == null || !Files.isDirectory(weights) || Files.isSymbolicLink(weights)) {
            return false;
        }
        Path file = weights.getParent().resolve(region);
        if (!Files.exists(file)) {
            return file.normalize().startsWith(weights.normalize());
        }
        return file.toRealPath().startsWith(weights.toRealPath());
    }

    private static Reach reach(Map<String, NodeDef> nodes, Map<String, FunctionDef> library, Collection<String> roots) {
        Set<String> seen = new HashSet<>();
        Set<String> functions = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        Deque<NodeDef> calls = new ArrayDeque<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            NodeDef n = nodes.get(name);
            if (n == null || !seen.add(name)) {
                continue;
            }
            n.getInputList().forEach(i -> todo.push(nodeOf(i)));
            calls.push(n);
        }
        while (!calls.isEmpty()) { // a function's nodes all count as reached, and so does what they call
            for (String f : called(calls.pop(), library)) {
                if (functions.add(f)) {
                    library.get(f).getNodeDefList().forEach(calls::push);
                }
            }
        }
        return new Reach(seen, functions);
    }

    /** The library functions a node calls: as its op, or through a function-valued attribute. */
    private static List<String> called(NodeDef n, Map<String, FunctionDef> library) {
        List<String> out = new ArrayList<>();
        out.add(n.getOp());
        for (AttrValue a : n.getAttrMap().values()) {
            if (a.hasFunc()) {
                out.add(a.getFunc().getName());
            }
            a.getList().getFuncList().forEach(f -> out.add(f.getName()));
        }
        out.removeIf(f -> !library.containsKey(f));
        return out;
    }

    /** {@code ^name}, {@code name:1} and {@code name} all name the node {@code name}. */
    private static String nodeOf(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }
}
