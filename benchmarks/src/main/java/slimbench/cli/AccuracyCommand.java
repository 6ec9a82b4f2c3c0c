package slimbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.bench.AccuracyGuard;
import slimbench.engine.OneDnnIsa;
import slimbench.engine.OnnxRuntimeModel;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Precision;
import slimbench.model.Scale;

/** {@code accuracy}: the accuracy guard of each precision and optimisation mode against FP32. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Checks that fp16, bf16 and ahead-optimised models give FP32's top-1 and probabilities "
                + "within tolerance on deterministic images.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every variant within the guard", "1:some variant broke the guard (BROKEN)",
                "2:bad input, or TensorFlow's natives cannot load here"},
        footerHeading = "%nExample:%n",
        footer = {"  java -jar benchmarks.jar accuracy --models mobilenet_v1 --scale tiny \\",
                "      --images 2"})
final class AccuracyCommand implements Callable<Integer>, Main.UsesTensorFlow {
    @Option(names = "--models", split = ",", description = "Models (default: all fifteen).")
    List<String> models;

    @Option(names = "--images", description = "Deterministic images per model (default: ${DEFAULT-VALUE}).")
    int images = 4;

    @Option(names = "--scale", description = "full, tiny, or SIZE:WIDTH:CLASSES (default: ${DEFAULT-VALUE}).")
    String scale = "full";

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;

    @Option(names = "--onnx", description = "Also the fp32 and fp16 ONNX models through ONNX Runtime, against "
            + "TensorFlow's fp32 graph (runtime column: onnxruntime).")
    boolean onnx;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (images < 1) {
            throw new IllegalArgumentException("--images must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Model> ms = models == null ? List.of(Model.values()) : models.stream().map(Model::of).toList();
        for (Precision p : Precision.values()) {
            OneDnnIsa.unrunnable(p).ifPresent(reason -> out.println("skipped " + p.label() + ": " + reason));
        }
        if (onnx) {
            OnnxRuntimeModel.loadProblem().ifPresent(reason -> {
                throw new UnsupportedOperationException(reason);
            });
        }
        out.printf(Locale.ROOT, "%-20s %-5s %-8s %-11s %9s %11s %9s  %s%n", "model", "prec", "optimize", "runtime",
                "top-1", "max rel err", "tolerance", "guard");
        boolean ok = true;
        Scale s = Scale.parse(scale);
        for (Model m : ms) {
            for (AccuracyGuard.Verdict v : AccuracyGuard.checkAll(cache, m, s, images)) {
                ok &= print(out, v, "tensorflow");
            }
            if (onnx) {
                for (Precision p : List.of(Precision.FP32, Precision.FP16)) {
                    ok &= print(out, AccuracyGuard.checkOnnx(cache, m, s, p, images), "onnxruntime");
                }
            }
        }
        return ok ? 0 : 1;
    }

    private static boolean print(PrintWriter out, AccuracyGuard.Verdict v, String runtime) {
        out.printf(Locale.ROOT, "%-20s %-5s %-8s %-11s %4d/%-4d %11.2e %9.1e  %s%n", v.model().label(),
                v.precision().label(), v.optimize().label(), runtime, v.top1Agree(), v.images(), v.maxRelativeError(),
                v.tolerance(), v.passed() ? "pass" : "BROKEN");
        out.flush();
        return v.passed();
    }
}
