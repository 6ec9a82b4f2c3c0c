package slimbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tensorflow.proto.RewriterConfig;
import slimbench.model.CellSpec;
import slimbench.model.Generator;
import slimbench.model.RecordCodec;
import slimbench.model.Variant;

/**
 * The cell a benchmark runs: which model file, loaded how. One {@code @Param} per component of
 * {@link CellSpec}, named as the component and spelled by {@link RecordCodec} (the runner's cell
 * process sets them all), so JMH's command line ({@code -p model=resnet_v1_50 -p variant=fp16}),
 * the runner and the reports spell them the same way; they are decoded into the spec once.
 * Resolving (and, if missing, generating) the file happens here, outside every timed region.
 */
@State(Scope.Benchmark)
public class ModelState {
    /** A model of the zoo; empty when {@link #modelFile} is given. */
    @Param({"mobilenet_v1"})
    public String model;

    /**
     * A user's own frozen graph (.pb) or SavedModel directory instead of a generated one
     * ({@code run --model-file}); empty for the zoo.
     */
    @Param({""})
    public String modelFile;

    @Param({"fp32"})
    public String variant;

    @Param({"at-load"})
    public String optimize;

    /** {@code full}, or {@code SIZE:WIDTH:CLASSES} for a scaled-down model (tests). */
    @Param({"full"})
    public String scale;

    /** Intra-op threads; 0 lets the engine use every core. */
    @Param({"0"})
    public int threads;

    /** The cell's mode, as the runner's cell names it; the benchmark method is what measures it. */
    @Param({"steady"})
    public String mode;

    @Param({"tensorflow"})
    public String runtime;

    /** Where generated models are cached. */
    @Param({"fixtures/models"})
    public String cache;

    @Param({"input"})
    public String inputName;

    @Param({"scores"})
    public String outputName;

    private CellSpec spec;

    /** The cell's parameters, decoded once: every use below reads the typed spec. */
    CellSpec spec() {
        if (spec == null) {
            Map<String, String> params = new LinkedHashMap<>();
            for (RecordComponent c : CellSpec.class.getRecordComponents()) {
                try {
                    params.put(c.getName(), String.valueOf(ModelState.class.getField(c.getName()).get(this)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("ModelState has no @Param " + c.getName() + " of CellSpec", e);
                }
            }
            spec = RecordCodec.decode(CellSpec.class, params);
        }
        return spec;
    }

    /** Before anything else in the fork (JMH runs this state's setup before the benchmarks' own). */
    @Setup(Level.Trial)
    public void watchHost() {
        HostWatch.start();
    }

    /** The file to load, generated first if missing or corrupted. */
    Path file() throws IOException {
        CellSpec s = spec();
        if (s.modelFile() != null) {
            if (!Files.exists(s.modelFile())) { // a directory is a SavedModel, a named pipe a file
                throw new IllegalArgumentException("model file " + s.modelFile() + " does not exist");
            }
            return s.modelFile();
        }
        return Generator.ensure(Path.of(cache), s.model(), s.variant().precision(), s.optimize(), s.scale(), 1).path();
    }

    /** Extra rewriter settings of the variant: TF-TRT's, or none. */
    RewriterConfig rewrites() {
        return spec().variant() == Variant.TFTRT_FP16 ? TfTrt.rewriterConfig(spec().optimize()) : null;
    }

    /** Throws {@link UnsupportedOperationException} when this runtime cannot run the variant. */
    void requireSupported() {
        if (spec().variant() == Variant.TFTRT_FP16) {
            TfTrt.requireSupported();
        }
        OneDnnIsa.unrunnable(spec().variant().precision()).ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
    }

    /** The accuracy guard against fp32, for a model of the zoo (a user's own file has no reference). */
    void requireAccurate(LoadedModel loaded) throws IOException {
        CellSpec s = spec();
        if (s.model() != null) {
            AccuracyGuard.require(loaded, Path.of(cache), s.model(), s.scale(), s.variant().precision(), s.optimize());
        }
    }

    /**
     * The ONNX file of this cell (fp32 or fp16, the translation of the same model), generated
     * first if missing or corrupted; or a user's own {@code .onnx} file.
     */
    Path onnxFile() throws IOException {
        CellSpec s = spec();
        if (s.modelFile() != null) {
            if (!s.modelFile().getFileName().toString().endsWith(".onnx")) {
                throw new UnsupportedOperationException("ONNX Runtime runs .onnx files, and " + s.modelFile()
                        + " is not one");
            }
            return file();
        }
        return Generator.ensureOnnx(Path.of(cache), s.model(), s.variant().precision(), s.scale(), 1).path();
    }

    /** Throws {@link UnsupportedOperationException} when ONNX Runtime does not load here or has no file of the variant. */
    void requireOnnxRuntime() {
        OnnxRuntimeModel.loadProblem().ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
        Variant v = spec().variant();
        if (v != Variant.FP32 && v != Variant.FP16) {
            throw new UnsupportedOperationException("ONNX Runtime runs the fp32 and fp16 ONNX models, not " + v);
        }
    }

    /** The accuracy guard of an ONNX Runtime cell: its answers against TensorFlow's fp32 graph. */
    void requireAccurate(OnnxRuntimeModel loaded) throws IOException {
        CellSpec s = spec();
        if (s.model() != null) {
            AccuracyGuard.require(loaded, Path.of(cache), s.model(), s.scale(), s.variant().precision());
        }
    }

    OnnxRuntimeModel loadOnnx() throws IOException {
        requireOnnxRuntime();
        return OnnxRuntimeModel.load(onnxFile(), inputName, outputName, spec().threads(), phase -> { });
    }

    LoadedModel load() throws IOException {
        requireSupported();
        return LoadedModel.load(file(), inputName, outputName, spec().optimize(), spec().threads(), rewrites());
    }
}
