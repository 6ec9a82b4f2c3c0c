package slimbench.engine;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/** What the loaded TensorFlow runtime can do: its version, native platform and registered ops. */
public final class TensorFlowRuntime {
    private static volatile Set<String> ops;

    private TensorFlowRuntime() {}

    public static String tensorflowVersion() {
        return TensorFlow.version();
    }

    /** The JavaCPP platform whose natives were loaded, e.g. {@code linux-x86_64} or {@code linux-arm64}. */
    public static String nativePlatform() {
        TensorFlow.version(); // forces the native load
        String p = System.getProperty("org.bytedeco.javacpp.platform");
        return p != null ? p : org.bytedeco.javacpp.Loader.getPlatform();
    }

    /**
     * Loads the native library and runs an empty graph: the runtime's own memory (CPU device,
     * thread pools, allocator) is then in place, the baseline a model's memory is measured above.
     * Its session has the model's {@code threads}, so the baseline holds the pool the model will use.
     */
    public static void runEmptyGraph(int threads) {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph();
             org.tensorflow.Session s = new org.tensorflow.Session(g, ThreadSettings.config(threads).build())) {
            org.tensorflow.op.Ops.create(g).withName("empty").constant(0f);
            s.runner().addTarget("empty").run().close();
        }
    }

    public static boolean hasOp(String op) {
        return registeredOps().contains(op);
    }

    /** TF-TRT needs {@code TRTEngineOp}; no TensorFlow Java native build has it. */
    public static boolean hasTensorRt() {
        return hasOp("TRTEngineOp");
    }

    /** Throws {@link UnsupportedOperationException} naming the ops of {@code def} this runtime lacks. */
    static void requireOps(GraphDef def) {
        Set<String> missing = new TreeSet<>();
        for (NodeDef n : def.getNodeList()) {
            if (!registeredOps().contains(n.getOp())) {
                missing.add(n.getOp());
            }
        }
        if (!missing.isEmpty()) {
            throw new UnsupportedOperationException("the graph needs ops this TensorFlow runtime ("
                    + tensorflowVersion() + ", " + nativePlatform() + ") does not have: " + String.join(", ", missing));
        }
    }

    private static Set<String> registeredOps() {
        if (ops == null) {
            Set<String> s = new HashSet<>();
            for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
                s.add(op.getName());
            }
            ops = s;
        }
        return ops;
    }
}
