package slimbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.engine.OpProfile;
import slimbench.model.Engine;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.model.Scale;
import slimbench.report.ProfileReport;

/**
 * {@code profile}: where the time of one inference goes, op by op, from the engine's own trace
 * (TensorFlow's FULL_TRACE step stats, or ONNX Runtime's profiler); how fast the convolution and matmul kernels run against the measured peak, and how much time
 * everything else takes.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Traces inferences op by op, on TensorFlow or ONNX Runtime: time per op type, the GFLOP/s of the convolution and matmul "
                + "kernels against the measured peak, the slowest convolutions.",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar profile --model resnet_v1_50 --variant fp32 \\",
                "      --optimize ahead --runs 20",
                "  java -jar benchmarks.jar profile --runtime onnxruntime \\",
                "      --model resnet_v1_50 --threads 2"})
final class ProfileCommand implements Callable<Integer>, Main.UsesTensorFlow {
    @Mixin
    OneCell cell = new OneCell();

    @Option(names = "--runs", description = "Traced inferences, and as many untraced (default: ${DEFAULT-VALUE}).")
    int runs = 20;

    @Option(names = "--runtime", paramLabel = "R", description = "tensorflow or onnxruntime (default: ${DEFAULT-VALUE}); "
            + "ONNX Runtime runs the ONNX translation of the ahead graph, fp32 or fp16.")
    String runtime = "tensorflow";

    @Option(names = "--threads", description = "Intra-op threads, 0 for the engine's choice (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--scale", description = "full, tiny or SIZE:WIDTH:CLASSES (default: ${DEFAULT-VALUE}).")
    String scale = "full";

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the per-node table (node, op, ms, FLOPs, GFLOP/s).")
    Path csv;

    @Option(names = "--top", paramLabel = "N", description = "Slowest convolution nodes to list (default: ${DEFAULT-VALUE}).")
    int top = 10;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Variant v = Variant.of(cell.variant);
        if (v == Variant.TFTRT_FP16) {
            throw new IllegalArgumentException("profile traces the model's own precisions (fp32, fp16, bf16), not "
                    + v.label());
        }
        if (top < 0) {
            throw new IllegalArgumentException("--top must be 0 or more, not " + top);
        }
        OpProfile.Options o = new OpProfile.Options(slimbench.engine.Engines.of(runtime).name(), Model.of(cell.model), v.precision(),
                Optimize.of(cell.optimize), Scale.parse(scale), threads, runs);
        OpProfile.Measured m = OpProfile.measure(cell.cache, o);
        PrintWriter out = spec.commandLine().getOut();
        out.print(ProfileReport.text(m, top));
        if (csv != null) {
            ProfileReport.writeCsv(csv, m.ops());
            out.println("per-node table: " + csv);
        }
        out.flush();
        return 0;
    }
}
