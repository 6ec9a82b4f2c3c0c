package slimbench.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An ONNX model loaded into an ONNX Runtime session (CPU provider), with its input tensor made
 * once: what {@link LoadedModel} is for TensorFlow, with the same phases a user waits for (read
 * the file, make the session, first inference). ONNX Runtime parses the model inside session
 * creation, so there is no import phase of its own.
 *
 * <p>The session options are the ones a deployment would choose and are recorded
 * ({@link #sessionOptions}): every graph optimisation ({@code ALL_OPT}: constant folding, fusions,
 * layout transformation), the cell's threads as intra-op threads (0: ONNX Runtime's default, one per
 * physical core) and one inter-op thread with sequential execution, as TensorFlow is run; intra-op
 * threads spin between ops, ONNX Runtime's default.
 */
public final class OnnxRuntimeModel implements Inference {
    private final OrtSession session;
    private final SessionOptions options;
    private final OnnxTensor input;
    private final String inputName;
    private final String outputName;
    private final int inputSize;
    private final Phases phases;

    private OnnxRuntimeModel(OrtSession session, SessionOptions options, OnnxTensor input, String inputName,
                             String outputName, int inputSize, Phases phases) {
        this.session = session;
        this.options = options;
        this.input = input;
        this.inputName = inputName;
        this.outputName = outputName;
        this.inputSize = inputSize;
        this.phases = phases;
    }

    /**
     * The process's ONNX Runtime: loading it loads the natives and makes the environment (its
     * logger and default thread pools), the baseline a model's memory is measured above. Warnings
     * are not a result: only errors are logged.
     */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "slimbench");
    }

    /**
     * Loads ONNX Runtime once; the reason it cannot load here (its natives' error), or empty when
     * it did. A missing or unloadable native surfaces as a linkage error from its static initialiser.
     */
    public static Optional<String> loadProblem() {
        try {
            environment();
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of("ONNX Runtime's natives do not load on " + System.getProperty("os.arch") + ": "
                    + cause.getMessage());
        }
    }

    /**
     * Makes a session with {@code threads} on the smallest model and runs it once, as TensorFlow
     * runs an empty graph before a cold shot: the library's session and thread-pool code is then
     * warm in both engines, and the shot times the model.
     */
    public static void runEmptyModel(int threads) {
        OrtEnvironment env = environment();
        try (SessionOptions options = options(threads);
             OrtSession session = env.createSession(slimbench.model.ModelFiles.identityOnnx(), options);
             OnnxTensor x = OnnxTensor.createTensor(env, new float[] {0f});
             OrtSession.Result r = session.run(Map.of("x", x))) {
            r.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not run its smallest model: " + e.getMessage(), e);
        }
    }

    public static String version() {
        return environment().getVersion();
    }

    /** The session options of a cell with {@code threads} intra-op threads, as recorded with its results. */
    public static Map<String, String> sessionOptions(int threads) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ort.optimization_level", SessionOptions.OptLevel.ALL_OPT.name());
        m.put("ort.execution_mode", SessionOptions.ExecutionMode.SEQUENTIAL.name());
        m.put("ort.intra_op_threads", Integer.toString(threads));
        m.put("ort.inter_op_threads", "1");
        m.put("ort.execution_provider", "CPU");
        m.put("ort." + SPINNING, "1");
        return m;
    }

    /**
     * Intra-op threads spin between ops rather than sleep: ONNX Runtime's default, set (and
     * recorded) explicitly because on a shared or small machine it decides what more threads cost.
     */
    private static final String SPINNING = "session.intra_op.allow_spinning";

    public static SessionOptions options(int threads) throws OrtException {
        SessionOptions o = new SessionOptions();
        try {
            o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.addConfigEntry(SPINNING, "1");
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /**
     * Reads the file and makes a session on it, calling the options' listener as each phase ends;
     * a tftrt-fp16 variant puts TensorRT's provider (then CUDA's) before the CPU's ({@link TensorRtProvider}).
     *
     * @throws UnsupportedOperationException when ONNX Runtime has no kernel for an op of the model
     */
    public static OnnxRuntimeModel load(Path file, LoadOptions o) throws IOException {
        return load(file, o, null);
    }

    /**
     * {@link #load}, with ONNX Runtime's profiler on when {@code profilePrefix} is not null: every
     * inference of the session is traced into a JSON file named after the prefix, which
     * {@link #endProfiling} writes and names.
     */
    static OnnxRuntimeModel load(Path file, LoadOptions o, Path profilePrefix) throws IOException {
        OrtEnvironment env = environment();
        Consumer<String> onPhase = o.onPhase();
        String inputName = o.inputName();
        String outputName = o.outputName();
        long t0 = System.nanoTime();
        byte[] bytes = Files.readAllBytes(file);
        long t1 = System.nanoTime();
        onPhase.accept("read");
        SessionOptions options = null;
        OrtSession session = null;
        try {
            options = options(o.threads());
            if (profilePrefix != null) {
                options.enableProfiling(profilePrefix.toString());
            }
            TensorRtProvider tensorRt = TensorRtProvider.of(o.variant(), file);
            if (tensorRt != null) {
                tensorRt.addTo(options);
            }
            session = env.createSession(bytes, options);
            long t2 = System.nanoTime();
            onPhase.accept("session");
            int size = inputSize(session, inputName);
            if (!session.getOutputNames().contains(outputName)) {
                throw new IllegalArgumentException("the model has no output '" + outputName + "'; it has "
                        + session.getOutputNames());
            }
            OnnxTensor input = image(env, Images.pixels(size, 0), size);
            return new OnnxRuntimeModel(session, options, input, inputName, outputName, size,
                    new Phases(t1 - t0, Phases.NO_IMPORT, t2 - t1));
        } catch (OrtException e) {
            close(session, options);
            throw failure(file, e);
        } catch (RuntimeException | Error e) {
            close(session, options);
            throw e;
        }
    }

    private static void close(OrtSession session, SessionOptions options) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException ignored) {
            // the load's own failure is the one to report
        }
        if (options != null) {
            options.close();
        }
    }

    /** ONNX Runtime's failure as this program's: an op it cannot run is UNSUPPORTED, the rest an error. */
    private static RuntimeException failure(Path file, OrtException e) {
        String why = "ONNX Runtime " + version() + " cannot load " + file + ": " + e.getMessage();
        return e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED
                ? new UnsupportedOperationException(why, e) : new IllegalStateException(why, e);
    }

    /** The square input size from the model's uint8 {@code [1,S,S,3]} input. */
    private static int inputSize(OrtSession session, String inputName) throws OrtException {
        NodeInfo info = session.getInputInfo().get(inputName);
        if (info == null) {
            throw new IllegalArgumentException("the model has no input '" + inputName + "'; it has "
                    + session.getInputNames());
        }
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.UINT8) {
            throw new IllegalArgumentException("input '" + inputName + "' is " + info.getInfo()
                    + "; expected uint8 images [1,S,S,3] (the preprocessing is part of the graph)");
        }
        long[] s = t.getShape();
        if (s.length != 4 || s[1] <= 0 || s[1] != s[2] || s[3] != 3) {
            throw new IllegalArgumentException("input '" + inputName + "' has shape " + Arrays.toString(s)
                    + "; expected [1,S,S,3] with S known");
        }
        return (int) s[1];
    }

    /** A uint8 image tensor over a direct buffer: ONNX Runtime reads it in place. */
    private static OnnxTensor image(OrtEnvironment env, byte[] pixels, int size) throws OrtException {
        ByteBuffer b = ByteBuffer.allocateDirect(pixels.length).put(pixels).flip();
        return OnnxTensor.createTensor(env, b, new long[] {1, size, size, 3}, OnnxJavaType.UINT8);
    }

    @Override
    public void inferDiscarding() {
        try {
            session.run(Map.of(inputName, input), Set.of(outputName)).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed an inference: " + e.getMessage(), e);
        }
    }

    /** One inference's probabilities. */
    public float[] infer() {
        return probabilities(input);
    }

    private float[] probabilities(OnnxTensor image) {
        try (OrtSession.Result r = session.run(Map.of(inputName, image), Set.of(outputName))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
                throw new IllegalStateException("output " + outputName + " is " + v.getInfo() + ", not float32");
            }
            long[] s = t.getInfo().getShape();
            if (s.length != 2 || s[0] != 1) {
                throw new IllegalStateException("output " + outputName + " has shape " + Arrays.toString(s)
                        + ", expected [1, classes]");
            }
            FloatBuffer f = t.getFloatBuffer();
            float[] p = new float[f.remaining()];
            f.get(p);
            return p;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed an inference: " + e.getMessage(), e);
        }
    }

    @Override
    public int inferAndCheck() {
        return Inference.checkProbabilities(infer());
    }

    @Override
    public float[][] probabilities(int images) {
        List<float[]> out = new ArrayList<>();
        OrtEnvironment env = environment();
        for (int i = 0; i < images; i++) {
            try (OnnxTensor img = image(env, Images.pixels(inputSize, i), inputSize)) {
                out.add(probabilities(img));
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not make an input tensor: " + e.getMessage(), e);
            }
        }
        return out.toArray(float[][]::new);
    }

    /** Ends a profiled session's tracing; the JSON file it wrote (Chrome's trace event format). */
    Path endProfiling() {
        try {
            return Path.of(session.endProfiling());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not write its profile: " + e.getMessage(), e);
        }
    }

    @Override
    public Phases phases() {
        return phases;
    }

    public int inputSize() {
        return inputSize;
    }

    @Override
    public void close() {
        input.close();
        close(session, options);
    }
}
