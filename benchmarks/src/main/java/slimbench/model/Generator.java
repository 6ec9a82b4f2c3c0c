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
