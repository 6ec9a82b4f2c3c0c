package slimbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.model.Checkpoint;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.model.Weights;

/**
 * {@code generate}: one model's frozen graph (and SavedModel, and ONNX model), deterministic from a
 * seed or from a checkpoint.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes a model's frozen GraphDef (.pb) with its SHA-256, and optionally a SavedModel.",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar generate --model vgg_16 --variant fp16 \\",
                "      --optimize ahead",
                "  java -jar benchmarks.jar generate --model mobilenet_v1 --scale tiny \\",
                "      --saved-model",
                "  java -jar benchmarks.jar generate --model resnet_v1_50 --variant fp16 --onnx",
                "  java -jar benchmarks.jar generate --model inception_v3 \\",
                "      --checkpoint inception_v3_2016_08_28.tar.gz"})
final class GenerateCommand implements Callable<Integer>, Main.UsesTensorFlow {
    @Option(names = "--model", required = true, paramLabel = "M", description = "One of the fifteen models (see `models`).")
    String model;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: the cache, ${DEFAULT-VALUE}).")
    Path out = ModelFiles.DEFAULT_CACHE;

    @Option(names = "--variant", paramLabel = "P", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String variant = "fp32";

    @Option(names = "--optimize", paramLabel = "MODE", description = OneCell.OPTIMIZE_HELP)
    String optimize = OneCell.DEFAULT_OPTIMIZE;

    @Option(names = "--seed", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--checkpoint", paramLabel = "PATH",
            description = "Real slim weights: a checkpoint directory, prefix, or the .tar.gz/.tgz slim publishes.")
    Path checkpoint;

    @Option(names = "--saved-model", description = "Also write a SavedModel directory beside the .pb (weights as variables).")
    boolean savedModel;

    @Option(names = "--onnx", description = "Also write the ONNX model of the same weights (fp32 or fp16), for ONNX Runtime.")
    boolean onnx;

    @Option(names = "--scale", description = "full, tiny, or SIZE:WIDTH:CLASSES (input size, channel multiplier in "
            + "(0, 1], classes) (default: ${DEFAULT-VALUE}).")
    String scale = "full";

    /** The older spelling of a scale, one part per option; kept working, hidden so that --scale is the one named. */
    @Option(names = "--input-size", hidden = true)
    int inputSize;

    @Option(names = "--width", hidden = true)
    double width = 1.0;

    @Option(names = "--classes", hidden = true)
    int classes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Model m = Model.of(model);
        Precision precision = switch (variant) {
            case "fp32" -> Precision.FP32;
            case "fp16" -> Precision.FP16;
            case "bf16" -> Precision.BF16;
            default -> throw new IllegalArgumentException("unknown variant '" + variant + "' for a model file; valid: "
                    + "fp32, fp16, bf16 (tftrt-fp16 is the fp32 file run through TF-TRT)");
        };
        Optimize o = Optimize.of(optimize);
        if (onnx && precision == Precision.BF16) {
            throw new IllegalArgumentException("--onnx writes fp32 and fp16 models, not bf16");
        }
        Scale parts = new Scale(inputSize, width, classes);
        if (!parts.isFull() && !this.scale.equals("full")) {
            throw new IllegalArgumentException("--scale and --input-size/--width/--classes say the same thing: give one");
        }
        Scale scale = parts.isFull() ? Scale.parse(this.scale) : parts;
        long t0 = System.nanoTime();
        Weights weights = Weights.seeded(seed);
        if (checkpoint != null) {
            if (!scale.isFull()) {
                throw new IllegalArgumentException("--checkpoint holds full-size weights: drop the scale options");
            }
            weights = Weights.of(Checkpoint.restore(checkpoint, m.describe(scale).variables()));
        }
        Path file = checkpoint == null ? ModelFiles.frozenPath(out, m, precision, o, scale, seed)
                : out.resolve(m.label() + "-checkpoint").resolve(precision.label() + "-" + o.label() + ".pb");
        ModelFiles.Written w = Generator.generate(m, precision, o, scale, weights, file);
        PrintWriter p = spec.commandLine().getOut();
        p.printf(Locale.ROOT, "%s  %,d bytes  sha256 %s  %.1f s%n", w.path(), w.bytes(), w.sha256(),
                (System.nanoTime() - t0) / 1e9);
        if (savedModel) {
            Model.Built built = m.build(scale, precision, o, weights);
            Path dir = file.resolveSibling(file.getFileName().toString().replace(".pb", "-savedmodel"));
            ModelFiles.Written s = ModelFiles.writeSavedModel(built, dir);
            p.printf(Locale.ROOT, "%s  %,d bytes  sha256 %s%n", s.path(), s.bytes(), s.sha256());
        }
        if (onnx) {
            Path onnxFile = checkpoint == null ? ModelFiles.onnxPath(out, m, precision, scale, seed)
                    : file.resolveSibling(precision.label() + ".onnx");
            ModelFiles.Written x = Generator.generateOnnx(m, precision, scale, weights, onnxFile);
            p.printf(Locale.ROOT, "%s  %,d bytes  sha256 %s%n", x.path(), x.bytes(), x.sha256());
        }
        p.flush();
        return 0;
    }
}
