package slimbench.tensorrt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import slimbench.model.AtomicFile;
import slimbench.model.Variant;

/**
 * The engine an {@code ahead} cell loads (is_dynamic_op=False's analogue): built once by trtexec and
 * saved beside the model's ONNX file, named by what makes it loadable and what it computes (the
 * TensorRT version, the GPU, the precision), so another TensorRT or GPU builds its own instead of
 * failing to load this one, as the 2019 experiment's engines did.
 */
final class EngineFile {
    private EngineFile() {}

    /** {@code fp32-float-input.trt8.2.1.fp16.NVIDIA_Jetson_Nano_Developer_Kit.engine} beside the ONNX file. */
    static Path of(Path onnx, Trtexec trtexec, Variant variant, String gpu) {
        String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        String slug = gpu.replaceAll("[^A-Za-z0-9.-]+", "_").toLowerCase(Locale.ROOT);
        return onnx.resolveSibling(stem + ".trt" + trtexec.version() + "." + variant.label() + "." + slug + ".engine");
    }

    /**
     * The saved engine, built now if missing (outside every measured run): written to a temporary
     * and moved into place only when trtexec passed, so a failed or killed build leaves none.
     *
     * @throws IllegalStateException when trtexec cannot build it, with its reason
     */
    static Path ensure(Trtexec trtexec, Path onnx, Variant variant, String gpu, Path log) throws IOException {
        Path engine = of(onnx, trtexec, variant, gpu);
        if (Files.isRegularFile(engine) && Files.size(engine) > 0) {
            return engine;
        }
        AtomicFile.writeBy(engine, tmp -> {
            List<String> args = List.of("--onnx=" + onnx, "--saveEngine=" + tmp, trtexec.buildOnly(),
                    Trtexec.precision(variant));
            System.out.println("building the saved engine: " + trtexec.executable() + " " + String.join(" ", args));
            Trtexec.Ran r = trtexec.run(args, log);
            if (!r.passed() || Files.size(tmp) == 0) {
                throw new IllegalStateException(TensorRtCell.failed(trtexec, r));
            }
        });
        return engine;
    }
}
