package slimbench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import slimbench.model.ModelFiles;

/** The options that name one model file in the cache, shared by the commands that study a single cell. */
final class OneCell {
    @Option(names = "--model", description = "Model (default: ${DEFAULT-VALUE}).")
    String model = "resnet_v1_50";

    @Option(names = "--variant", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String variant = "fp32";

    @Option(names = "--optimize", description = "at-load or ahead (default: ${DEFAULT-VALUE}).")
    String optimize = "ahead";

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;
}
