package slimbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Makes model files on demand: the cache's entry if it verifies, else a fresh generation. */
public final class Generator {
    private Generator() {}

    /**
     * The cached frozen graph, regenerated when missing or when it no longer matches the SHA-256
     * recorded when it was written (a torn or corrupted file is never benchmarked).
     */
    public static ModelFiles.Written ensure(Path cache, Model model, Precision precision, Optimize optimize,
                                            Scale scale, long seed) throws IOException {
        Optional<ModelFiles.Written> done = cached(cache, model, precision, optimize, scale, seed);
        return done.isPresent() ? done.get()
                : generate(model, precision, optimize, scale, Weights.seeded(seed), ModelFiles.frozenPath(cache, model,
                        precision, optimize, scale, seed));
    }

    /**
     * The cached frozen graph without reading it, for a process that must leave the file cache as it
     * found it (a cold shot): the runner verified its digest before the cell started. Generated
     * (and so verified by construction) when the cache has no matching record.
     */
    public static Path located(Path cache, Model model, Precision precision, Optimize optimize, Scale scale, long seed)
            throws IOException {
        Path file = ModelFiles.frozenPath(cache, model, precision, optimize, scale, seed);
        boolean complete = optimize != Optimize.AHEAD || Files.isDirectory(MappedWeights.folderOf(file));
        return complete && ModelFiles.recorded(file) ? file : ensure(cache, model, precision, optimize, scale, seed).path();
    }

    /** {@link #located} for the ONNX file. */
    public static Path locatedOnnx(Path cache, Model model, Precision precision, Scale scale, long seed)
            throws IOException {
        Path file = ModelFiles.onnxPath(cache, model, precision, scale, seed);
        return ModelFiles.recorded(file) ? file : ensureOnnx(cache, model, precision, scale, seed).path();
    }

    /** The model's files if the cache holds them complete and verified; reading them needs no TensorFlow. */
    public static Optional<ModelFiles.Written> cached(Path cache, Model model, Precision precision, Optimize optimize,
                                                      Scale scale, long seed) throws IOException {
        Path file = ModelFiles.frozenPath(cache, model, precision, optimize, scale, seed);
        AtomicFile.sweep(file.toAbsolutePath().getParent());
        boolean complete = optimize != Optimize.AHEAD || Files.isDirectory(MappedWeights.folderOf(file));
        return complete && ModelFiles.verify(file)
                ? Optional.of(new ModelFiles.Written(file, ModelFiles.totalBytes(file), ModelFiles.sha256(file)))
                : Optional.empty();
    }

    /**
     * The cached ONNX model of {@code precision} (fp32 or fp16), regenerated when missing or when
     * it no longer matches its SHA-256 record, as a frozen graph is.
     */
    public static ModelFiles.Written ensureOnnx(Path cache, Model model, Precision precision, Scale scale, long seed)
            throws IOException {
        return ensureOnnx(cache, model, precision, scale, seed, OnnxForm.UINT8_IMAGE);
    }

    /** {@link #ensureOnnx(Path, Model, Precision, Scale, long)} in a form, a file of its own. */
    public static ModelFiles.Written ensureOnnx(Path cache, Model model, Precision precision, Scale scale, long seed,
                                                OnnxForm form) throws IOException {
        Path file = ModelFiles.onnxPath(cache, model, precision, scale, seed, form);
        AtomicFile.sweep(file.toAbsolutePath().getParent());
        if (ModelFiles.verify(file)) {
            return new ModelFiles.Written(file, Files.size(file), ModelFiles.sha256(file));
        }
        return generateOnnx(model, precision, scale, Weights.seeded(seed), file, form);
    }

    /**
     * Builds the folded network with the given weights (seeded or restored) and writes its ONNX
     * translation to {@code file}: the same weights and preprocessing as the frozen graphs.
     */
    public static ModelFiles.Written generateOnnx(Model model, Precision precision, Scale scale, Weights weights,
                                                  Path file) throws IOException {
        return generateOnnx(model, precision, scale, weights, file, OnnxForm.UINT8_IMAGE);
    }

    /** {@link #generateOnnx(Model, Precision, Scale, Weights, Path)} in a form. */
    public static ModelFiles.Written generateOnnx(Model model, Precision precision, Scale scale, Weights weights,
                                                  Path file, OnnxForm form) throws IOException {
        if (precision != Precision.FP32 && precision != Precision.FP16) {
            throw new IllegalArgumentException("ONNX models are written in fp32 and fp16, not " + precision.label()
                    + " (ONNX Runtime's CPU provider has no bfloat16 convolution)");
        }
        return ModelFiles.writeOnnx(model.build(scale, precision, Optimize.AHEAD, weights), file, form);
    }

    /**
     * Builds the model with the given weights and writes its frozen graph to {@code file}; an
     * {@code ahead} graph is written with its filters memory-mappable beside it ({@link MappedWeights}).
     */
    public static ModelFiles.Written generate(Model model, Precision precision, Optimize optimize, Scale scale,
                                              Weights weights, Path file) throws IOException {
        Model.Built built = model.build(scale, precision, optimize, weights);
        return optimize == Optimize.AHEAD
                ? ModelFiles.writeMapped(built.graph(), file)
                : ModelFiles.writeFrozen(built.graph(), file);
    }
}
