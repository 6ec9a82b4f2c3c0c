package slimbench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import slimbench.model.ModelFiles;

/** The options that name one model file in the cache, shared by the commands that study a single cell. */
final class OneCell {
    /**
     * The one default optimisation of every command that takes a single model: the graph as
     * exported, as 2019's first measurement had it; {@code run} measures both modes by default.
     */
    static final String DEFAULT_OPTIMIZE = "at-load";
    static final String OPTIMIZE_HELP = "at-load (the graph as exported) or ahead (optimised when the file is made); "
            + "default: " + DEFAULT_OPTIMIZE + ", as in every command but run, which takes its preset's.";

    @Option(names = "--model", description = "Model (default: ${DEFAULT-VALUE}).")
    String model = "resnet_v1_50";

    @Option(names = "--variant", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String variant = "fp32";

    @Option(names = "--optimize", description = OPTIMIZE_HELP)
    String optimize = DEFAULT_OPTIMIZE;

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;
}
