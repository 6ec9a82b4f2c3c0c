package slimbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tensorflow.proto.RewriterConfig;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

/**
 * The cell a benchmark runs: which model file, loaded how. Parameter names and values are the
 * registry's ({@code -p model=resnet_v1_50 -p variant=fp16}), so JMH's command line, the runner and
 * the reports spell them the same way. Resolving (and, if missing, generating) the file happens
 * here, outside every timed region.
 */
@State(Scope.Benchmark)
public class ModelState {
    @Param({"mobilenet_v1"})
    public String model;

    @Param({"fp32"})
    public String variant;

    @Param({"at-load"})
    public String optimize;

    /** TensorFlow intra-op threads; 0 lets TensorFlow use every core. */
    @Param({"0"})
    public int threads;

    /** {@code full}, or {@code SIZE:WIDTH:CLASSES} for a scaled-down model (tests). */
    @Param({"full"})
    public String scale;

    /** Where generated models are cached. */
    @Param({"fixtures/models"})
    public String cache;

    /**
     * A user's own frozen graph (.pb) or SavedModel directory instead of a generated one
     * ({@code run --model-file}); empty for the zoo.
     */
    @Param({""})
    public String modelFile;

    @Param({"input"})
    public String inputName;

    @Param({"scores"})
    public String outputName;

    /** Before anything else in the fork (JMH runs this state's setup before the benchmarks' own). */
    @Setup(Level.Trial)
    public void watchHost() {
        HostWatch.start();
    }

    /** The file to load, generated first if missing or corrupted. */
    Path file() throws IOException {
        if (!modelFile.isEmpty()) {
            Path p = Path.of(modelFile);
            if (!Files.exists(p)) { // a directory is a SavedModel, a named pipe a file
                throw new IllegalArgumentException("model file " + p + " does not exist");
            }
            return p;
        }
        Variant v = Variant.of(variant);
        return Generator.ensure(Path.of(cache), Model.of(model), v.precision(), Optimize.of(optimize),
                Scale.parse(scale), 1).path();
    }

    /** Extra rewriter settings of the variant: TF-TRT's, or none. */
    RewriterConfig rewrites() {
        return Variant.of(variant) == Variant.TFTRT_FP16 ? TfTrt.rewriterConfig(Optimize.of(optimize)) : null;
    }

    /** Throws {@link UnsupportedOperationException} when this runtime cannot run the variant. */
    void requireSupported() {
        if (Variant.of(variant) == Variant.TFTRT_FP16) {
            TfTrt.requireSupported();
        }
        OneDnnIsa.unrunnable(Variant.of(variant).precision()).ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
    }

    /** The accuracy guard against fp32, for a model of the zoo (a user's own file has no reference). */
    void requireAccurate(LoadedModel loaded) throws IOException {
        if (modelFile.isEmpty()) {
            AccuracyGuard.require(loaded, Path.of(cache), Model.of(model), Scale.parse(scale),
                    Variant.of(variant).precision(), Optimize.of(optimize));
        }
    }

    LoadedModel load() throws IOException {
        requireSupported();
        return LoadedModel.load(file(), inputName, outputName, Optimize.of(optimize), threads, rewrites());
    }

}
