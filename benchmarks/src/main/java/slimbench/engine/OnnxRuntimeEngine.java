package slimbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Generator;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Variant;

/**
 * ONNX Runtime's CPU provider on the model's ONNX file ({@link OnnxRuntimeModel}): the translation
 * of the {@code ahead} graph ({@code OnnxExport}), optimised again by ONNX Runtime at load, so its
 * cells are made once with optimize {@code ahead} whatever the optimize axis holds; fp32 and fp16,
 * and tftrt-fp16 as the fp32 file on its TensorRT provider where the GPU build runs ({@link TensorRtProvider}).
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
    @Override
    public Engine name() {
        return Engine.ONNXRUNTIME;
    }

    @Override
    public String title() {
        return "ONNX Runtime";
    }

    @Override
    public boolean byDefault() {
        return true;
    }

    @Override
    public Optional<String> loadProblem() {
        return OnnxRuntimeModel.loadProblem();
    }

    @Override
    public List<Variant> variants() {
        return List.of(Variant.FP32, Variant.FP16, Variant.TFTRT_FP16);
    }

    @Override
    public Optional<String> problem(CellSpec cell) {
        Optional<String> natives = loadProblem();
        if (natives.isPresent()) {
            return natives;
        }
        if (cell.variant() == Variant.TFTRT_FP16) { // the fp32 file on TensorRT's provider
            Optional<String> provider = TensorRtProvider.problem();
            if (provider.isPresent()) {
                return provider;
            }
        } else if (!variants().contains(cell.variant())) {
            return Optional.of("ONNX Runtime runs the fp32 and fp16 ONNX models, not " + cell.variant());
        }
        if (cell.modelFile() != null && !cell.modelFile().getFileName().toString().endsWith(".onnx")) {
            return Optional.of("ONNX Runtime runs .onnx files, and " + cell.modelFile() + " is not one");
        }
        return Optional.empty();
    }

    /** Its file is the {@code ahead} graph's translation, whatever the mode asked. */
    @Override
    public List<Optimize> optimizeModes(List<Optimize> asked) {
        return List.of(Optimize.AHEAD);
    }

    /** ONNX Runtime's version and its cells' session options, or why it does not load; TensorRT's provider's too. */
    @Override
    public Map<String, String> conditions(RunSettings run) {
        Map<String, String> c = new LinkedHashMap<>();
        Optional<String> problem = loadProblem();
        if (problem.isPresent()) {
            c.put("ort.native.error", problem.get());
            return c;
        }
        c.put("ort.version", OnnxRuntimeModel.version());
        c.putAll(OnnxRuntimeModel.sessionOptions(0));
        c.put("ort.intra_op_threads", "the cell's threads, " + run.threads()
                + " (0: ONNX Runtime's default, one per physical core)");
        if (run.variants().contains(Variant.TFTRT_FP16)) {
            c.putAll(TensorRtProvider.conditions(run.cache()));
        }
        return c;
    }

    @Override
    public Map<String, String> settings(Variant variant, Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ort.version", OnnxRuntimeModel.version());
        m.putAll(OnnxRuntimeModel.sessionOptions(0));
        TensorRtProvider tensorRt = TensorRtProvider.of(variant, file);
        if (tensorRt != null) {
            tensorRt.options().forEach((k, v) -> m.put("ort.tensorrt." + k, v));
        }
        return m;
    }

    @Override
    public Path file(Path cache, CellSpec cell) throws IOException {
        return Generator.locatedOnnx(cache, cell.model(), cell.variant().precision(), cell.scale(), 1);
    }

    @Override
    public void verifyFile(Path cache, CellSpec cell) throws IOException {
        Precision p = cell.variant().precision();
        if (p == Precision.FP32 || p == Precision.FP16) {
            Generator.ensureOnnx(cache, cell.model(), p, cell.scale(), 1);
        }
    }

    @Override
    public void warmUp(int threads) {
        OnnxRuntimeModel.runEmptyModel(threads);
    }

    @Override
    public Inference load(Path file, LoadOptions options) throws IOException {
        return OnnxRuntimeModel.load(file, options);
    }

    /** Held to the file's precision, or fp16 on TensorRT's provider (its FP16 kernels compute in half). */
    @Override
    public Answers answers(CellSpec cell) {
        Precision arithmetic = cell.variant() == Variant.TFTRT_FP16 ? TensorRtProvider.ARITHMETIC
                : cell.variant().precision();
        return new Answers(arithmetic, Optimize.AHEAD, false, " through ONNX Runtime");
    }

    @Override
    public OpProfile.Measured profile(Path cache, OpProfile.Options options) throws IOException {
        if (options.precision() == Precision.BF16) {
            throw new IllegalArgumentException("ONNX Runtime runs fp32 and fp16 models, not bf16");
        }
        return OrtTrace.measure(cache, options);
    }
}
