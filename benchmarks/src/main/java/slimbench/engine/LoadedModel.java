package slimbench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;
import slimbench.model.MappedWeights;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * A frozen graph loaded into a TensorFlow session, with its input tensor made once. Loading is
 * split in the phases a user waits for (read the file, import the graph, make the session, first
 * inference), each timed on its own so that first inference compares with the 2019 experiment,
 * which excluded loading.
 */
public final class LoadedModel implements Inference {
    private final Graph graph;
    private final Session session;
    private final TUint8 input;
    private final String inputName;
    private final String outputName;
    private final Phases phases;
    /** The SavedModelBundle that owns the graph and session, or null when this class does. */
    private final SavedModelBundle owner;

    LoadedModel(Graph graph, Session session, TUint8 input, String inputName, String outputName,
                Phases phases, SavedModelBundle owner) {
        this.graph = graph;
        this.session = session;
        this.input = input;
        this.inputName = inputName;
        this.outputName = outputName;
        this.phases = phases;
        this.owner = owner;
    }

    /**
     * Reads, imports and opens a session on a frozen GraphDef, or loads a SavedModel when
     * {@code file} is a directory (see {@link SavedModelLoader}).
     *
     * @throws UnsupportedOperationException when the graph needs an op this runtime lacks
     */
    public static LoadedModel load(Path file, LoadOptions o) throws IOException {
        if (Files.isDirectory(file)) {
            return SavedModelLoader.load(file, o);
        }
        Consumer<String> onPhase = o.onPhase();
        String inputName = o.inputName();
        long t0 = System.nanoTime();
        long[] read = new long[1];
        Runnable onRead = () -> {
            read[0] = System.nanoTime();
            onPhase.accept("read");
        };
        Graph graph = Files.isDirectory(MappedWeights.folderOf(file))
                ? NativeImport.importMapped(file, onRead)
                : NativeImport.importGraphDef(file, onRead);
        try {
            int size = inputSize(graph, inputName);
            long t2 = System.nanoTime();
            onPhase.accept("import");
            Session session = new Session(graph, config(o));
            try {
                long t3 = System.nanoTime();
                onPhase.accept("session");
                TUint8 input = Images.deterministic(size);
                return new LoadedModel(graph, session, input, inputName, o.outputName(),
                        new Phases(read[0] - t0, t2 - read[0], t3 - t2), null);
            } catch (RuntimeException | Error e) {
                session.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    /**
     * The session options of a load: {@code ahead} turns Grappler off, since the file already holds
     * what it would do, and the session's own constant folding, which would copy mapped filters
     * into new {@code Const} nodes; oneDNN's graph rewrite still runs (it is neither). TF-TRT's
     * variant adds its rewriter.
     */
    static ConfigProto config(LoadOptions o) {
        RewriterConfig.Builder rewrites = o.variant() == Variant.TFTRT_FP16
                ? TfTrt.rewriterConfig(o.optimize()).toBuilder() : RewriterConfig.newBuilder();
        GraphOptions.Builder graph = GraphOptions.newBuilder();
        if (o.optimize() == Optimize.AHEAD) {
            rewrites.setDisableMetaOptimizer(true);
            graph.setOptimizerOptions(OptimizerOptions.newBuilder()
                    .setOptLevel(OptimizerOptions.Level.L0).setDoConstantFolding(false));
        }
        return ThreadSettings.config(o.threads())
                .setGraphOptions(graph.setRewriteOptions(rewrites))
                .build();
    }

    /** The output is dropped in native code. */
    @Override
    public void inferDiscarding() {
        session.runner().feed(inputName, input).addTarget(opName(outputName)).run().close();
    }

    /** One inference returning the probabilities; the caller closes the tensor. */
    public TFloat32 infer() {
        return infer(input);
    }

    private TFloat32 infer(TUint8 image) {
        try (Result r = session.runner().feed(inputName, image).fetch(outputName).run()) {
            Tensor t = r.get(0);
            if (!(t instanceof TFloat32 f)) {
                throw new IllegalStateException("output " + outputName + " is " + t.dataType() + ", not float32");
            }
            // Result.close() closes its tensors: hand back a copy that outlives it.
            float[] values = new float[(int) f.size()];
            f.asRawTensor().data().asFloats().read(values);
            return TFloat32.tensorOf(f.shape(), DataBuffers.of(values, true, false));
        }
    }

    /**
     * One inference run with {@code options} (a trace level), returning what TensorFlow recorded
     * about it. Without a trace there is nothing to return: TensorFlow Java then fails to parse the
     * empty metadata.
     */
    public RunMetadata inferWithMetadata(RunOptions options) {
        try (Result r = session.runner().feed(inputName, input).fetch(outputName).setOptions(options)
                .runAndFetchMetadata()) {
            return r.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no run metadata"));
        }
    }

    @Override
    public int inferAndCheck() {
        try (TFloat32 out = infer()) {
            Shape s = out.shape();
            if (s.numDimensions() != 2 || s.get(0) != 1) {
                throw new IllegalStateException("output " + outputName + " has shape " + s + ", expected [1, classes]");
            }
            float[] p = new float[(int) out.size()];
            out.asRawTensor().data().asFloats().read(p);
            return Inference.checkProbabilities(p);
        }
    }

    @Override
    public float[][] probabilities(int images) {
        int size = (int) input.shape().get(1);
        float[][] out = new float[images][];
        for (int i = 0; i < images; i++) {
            try (TUint8 img = Images.of(size, i); TFloat32 p = infer(img)) {
                out[i] = new float[(int) p.size()];
                p.asRawTensor().data().asFloats().read(out[i]);
            }
        }
        return out;
    }

    @Override
    public Phases phases() {
        return phases;
    }

    public Session session() {
        return session;
    }

    /** The imported graph, as written in the file (the session runs its own rewritten copy). */
    public Graph graph() {
        return graph;
    }

    /** The square input size of an imported graph, from its input placeholder. */
    static int inputSize(Graph graph, String inputName) {
        var op = graph.operation(opName(inputName));
        if (op == null) {
            throw noInput(inputName);
        }
        Shape s = op.output(0).shape();
        return imageSize(inputName, op.output(0).dataType(), s.isUnknown() ? new long[0] : s.asArray());
    }

    /** The square input size of a graph, read from its input placeholder's attributes. */
    static int inputSize(GraphDef def, String inputName) {
        NodeDef n = def.getNodeList().stream().filter(x -> x.getName().equals(inputName)).findFirst()
                .orElseThrow(() -> noInput(inputName));
        long[] dims = n.getAttrOrThrow("shape").getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
        return imageSize(inputName, n.getAttrOrThrow("dtype").getType(), dims);
    }

    private static IllegalArgumentException noInput(String inputName) {
        return new IllegalArgumentException("the graph has no input node '" + inputName + "'");
    }

    /** S of a uint8 {@code [1,S,S,3]} image input: the only input the benchmarks feed. */
    private static int imageSize(String inputName, DataType type, long[] dims) {
        if (type != DataType.DT_UINT8) {
            throw new IllegalArgumentException("input '" + inputName + "' is " + type
                    + "; expected DT_UINT8 images [1,S,S,3] (the preprocessing is part of the graph)");
        }
        if (dims.length != 4 || dims[1] <= 0 || dims[1] != dims[2]) {
            throw new IllegalArgumentException("input '" + inputName + "' has shape " + Arrays.toString(dims)
                    + "; expected [1,S,S,3] with S known");
        }
        return (int) dims[1];
    }

    /** The op of a tensor name ({@code scores:0} is op {@code scores}): what a target names. */
    static String opName(String tensor) {
        int colon = tensor.lastIndexOf(':');
        boolean indexed = colon > 0 && colon < tensor.length() - 1
                && tensor.substring(colon + 1).chars().allMatch(Character::isDigit);
        return indexed ? tensor.substring(0, colon) : tensor;
    }

    @Override
    public void close() {
        input.close();
        if (owner != null) {
            owner.close(); // closes its session and graph
        } else {
            session.close();
            graph.close();
        }
    }
}
