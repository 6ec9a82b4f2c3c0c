package slimbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.bench.ModelState;
import slimbench.engine.Engines;
import slimbench.engine.Inference;
import slimbench.engine.InferenceEngine;
import slimbench.engine.LoadOptions;
import slimbench.model.AtomicFile;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Model;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

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
                "  java -jar benchmarks.jar check --runtime onnxruntime --model mobilenet_v2 \\",
                "      --variant fp16"})
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
        InferenceEngine engine = Engines.of(runtime);
        Optimize o = engine.optimizeModes(List.of(Optimize.of(optimize))).get(0);
        if (scaled && !scale.equals("full") && !scale.equals("tiny")) {
            throw new IllegalArgumentException("--scaled is --scale tiny: it contradicts --scale " + scale);
        }
        Scale scale = scaled ? Scale.TINY : Scale.parse(this.scale);
        engine.requireNatives();
        out.println("os.arch=" + System.getProperty("os.arch"));
        // The default engine goes unnamed, as in a cell's name; another is named instead of the optimize mode.
        boolean named = !engine.name().equals(Engine.DEFAULT);
        CellSpec cell = new CellSpec(m, null, v, o, scale, 0, Mode.STEADY, engine.name());
        try {
            // The cell run would record: UNSUPPORTED here is UNSUPPORTED there, for the same reason.
            ModelState.requireRunnable(cell);
        } catch (UnsupportedOperationException e) {
            out.println("check UNSUPPORTED " + m.label() + " " + variant + (named ? " " + engine.name() : "")
                    + ": " + e.getMessage());
            out.flush();
            return 1;
        }
        String label = m.label() + " " + variant + " " + (named ? engine.name().label() : optimize);
        out.flush();
        Path dir = Files.createTempDirectory("slimbench-check");
        try {
            long t0 = System.nanoTime();
            Path file = engine.file(dir, cell);
            long t1 = System.nanoTime();
            engine.settings(v, file).forEach((k, value) -> out.println(k + "=" + value));
            out.flush();
            try (Inference loaded = engine.load(file, LoadOptions.zoo(o, 0).variant(v))) {
                long t2 = System.nanoTime();
                int top = loaded.inferAndCheck();
                long t3 = System.nanoTime();
                out.printf(Locale.ROOT, "check OK %s%s: top-1 class %d; generate %.0f ms, load %.0f ms, "
                                + "first inference %.0f ms%n", label, scale.isFull() ? "" : " (scaled)",
                        top, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            }
            return 0;
        } catch (RuntimeException e) {
            out.println("check FAILED " + label + ": " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            AtomicFile.deleteTree(dir);
        }
    }
}
