package slimbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.bench.LoadOptions;
import slimbench.bench.LoadedModel;
import slimbench.bench.OneDnnIsa;
import slimbench.bench.OnnxRuntimeModel;
import slimbench.bench.TensorFlowRuntime;
import slimbench.bench.TensorRtProvider;
import slimbench.model.AtomicFile;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.model.Variant;
import slimbench.natives.NativeLoad;

/**
 * {@code check}: does this device run a model end to end? Generates it (scaled down with
 * {@code --scale tiny}) into a temporary directory, loads it, runs one checked inference, through
 * TensorFlow or ({@code --runtime onnxruntime}) through ONNX Runtime, which needs no TensorFlow
 * natives: each runtime's natives are loaded only when it is the one checked.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Generates, loads and runs one model once, checking its output.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the model ran and its output checked", "1:it failed, or this CPU or runtime cannot run the variant",
                "2:bad input, or TensorFlow's natives cannot load here"},
        footerHeading = "%nExample:%n",
        footer = {"  java -jar benchmarks.jar check --model mobilenet_v1 --scale tiny",
                "  java -jar benchmarks.jar check --runtime onnxruntime --model mobilenet_v2 --variant fp16"})
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model (default: ${DEFAULT-VALUE}).")
    String model = "mobilenet_v1";

    @Option(names = "--scale", description = "full, tiny (input 75, width 1/8, 10 classes) or SIZE:WIDTH:CLASSES "
            + "(default: ${DEFAULT-VALUE}).")
    String scale = "full";

    /** The old spelling of {@code --scale tiny}, kept working for scripts (the arm64 check uses it). */
    @Option(names = "--scaled", hidden = true)
    boolean scaled;

    @Option(names = "--variant", description = "fp32, fp16, bf16 or tftrt-fp16 (default: ${DEFAULT-VALUE}).")
    String variant = "fp32";

    @Option(names = "--optimize", description = OneCell.OPTIMIZE_HELP)
    String optimize = OneCell.DEFAULT_OPTIMIZE;

    @Option(names = "--runtime", paramLabel = "R",
            description = "tensorflow or onnxruntime (default: ${DEFAULT-VALUE}); ONNX Runtime runs fp32 and fp16, "
                    + "and tftrt-fp16 on its TensorRT provider in a jar built with -Pgpu.")
    String runtime = "tensorflow";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model m = Model.of(model);
        Variant v = Variant.of(variant);
        Precision p = v.precision();
        Optimize o = Optimize.of(optimize);
        if (scaled && !scale.equals("full") && !scale.equals("tiny")) {
            throw new IllegalArgumentException("--scaled is --scale tiny: it contradicts --scale " + scale);
        }
        Scale scale = scaled ? Scale.TINY : Scale.parse(this.scale);
        switch (runtime) {
            case "tensorflow" -> NativeLoad.require();
            case "onnxruntime" -> {
                return checkOnnxRuntime(out, m, v, scale);
            }
            default -> throw new IllegalArgumentException("unknown runtime '" + runtime + "'; valid: tensorflow, onnxruntime");
        }
        out.println("os.arch=" + System.getProperty("os.arch"));
        out.println("tf.version=" + TensorFlowRuntime.tensorflowVersion());
        out.println("tf.native=" + TensorFlowRuntime.nativePlatform());
        out.flush();
        var unrunnable = OneDnnIsa.unrunnable(p);
        if (unrunnable.isPresent()) {
            out.println("check UNSUPPORTED " + m.label() + " " + variant + ": " + unrunnable.get());
            return 1;
        }
        Path dir = Files.createTempDirectory("slimbench-check");
        try {
            long t0 = System.nanoTime();
            ModelFiles.Written w = Generator.ensure(dir, m, p, o, scale, 1);
            long t1 = System.nanoTime();
            try (LoadedModel loaded = LoadedModel.load(w.path(), LoadOptions.zoo(o, 0))) {
                long t2 = System.nanoTime();
                int top = loaded.inferAndCheck();
                long t3 = System.nanoTime();
                out.printf(Locale.ROOT, "check OK %s %s %s%s: top-1 class %d; generate %.0f ms, load %.0f ms, "
                                + "first inference %.0f ms%n", m.label(), variant, optimize, scale.isFull() ? "" : " (scaled)",
                        top, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            }
            return 0;
        } catch (RuntimeException e) {
            out.println("check FAILED " + m.label() + ": " + e);
            return 1;
        } finally {
            out.flush();
            AtomicFile.deleteTree(dir);
        }
    }

    /** The same check through ONNX Runtime, on the ONNX translation of the same model. */
    private int checkOnnxRuntime(PrintWriter out, Model m, Variant v, Scale scale) throws IOException {
        out.println("os.arch=" + System.getProperty("os.arch"));
        Optional<String> problem = OnnxRuntimeModel.loadProblem();
        if (problem.isPresent()) {
            out.println("check UNSUPPORTED " + m.label() + " " + variant + " onnxruntime: " + problem.get());
            out.flush();
            return 1;
        }
        out.println("ort.version=" + OnnxRuntimeModel.version());
        OnnxRuntimeModel.sessionOptions(0).forEach((k, value) -> out.println(k + "=" + value));
        out.flush();
        if (v == Variant.TFTRT_FP16) {
            Optional<String> trt = TensorRtProvider.problem();
            if (trt.isPresent()) {
                out.println("check UNSUPPORTED " + m.label() + " " + variant + " onnxruntime: " + trt.get());
                out.flush();
                return 1;
            }
        } else if (v != Variant.FP32 && v != Variant.FP16) {
            out.println("check UNSUPPORTED " + m.label() + " " + variant + " onnxruntime: ONNX models are fp32 and fp16");
            out.flush();
            return 1;
        }
        Path dir = Files.createTempDirectory("slimbench-check");
        try {
            long t0 = System.nanoTime();
            ModelFiles.Written w = Generator.ensureOnnx(dir, m, v.precision(), scale, 1);
            long t1 = System.nanoTime();
            TensorRtProvider tensorRt = TensorRtProvider.of(v, w.path());
            if (tensorRt != null) {
                tensorRt.options().forEach((k, value) -> out.println("ort.tensorrt." + k + "=" + value));
            }
            try (OnnxRuntimeModel loaded = OnnxRuntimeModel.load(w.path(), LoadOptions.zoo(Optimize.AHEAD, 0).variant(v))) {
                long t2 = System.nanoTime();
                int top = loaded.inferAndCheck();
                long t3 = System.nanoTime();
                out.printf(Locale.ROOT, "check OK %s %s onnxruntime%s: top-1 class %d; generate %.0f ms, load %.0f ms, "
                                + "first inference %.0f ms%n", m.label(), variant, scale.isFull() ? "" : " (scaled)",
                        top, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            }
            return 0;
        } catch (RuntimeException e) {
            out.println("check FAILED " + m.label() + " onnxruntime: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            AtomicFile.deleteTree(dir);
        }
    }

}
