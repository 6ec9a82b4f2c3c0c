package slimbench.tensorrt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import slimbench.engine.Inference;
import slimbench.engine.InferenceEngine;
import slimbench.engine.LoadOptions;
import slimbench.engine.OpProfile;
import slimbench.engine.SelfTimed;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Generator;
import slimbench.model.OnnxForm;
import slimbench.model.Precision;
import slimbench.model.Variant;

/**
 * The machine's own TensorRT through its {@code trtexec} on the model's ONNX file
 * ({@link OnnxForm#FLOAT_IMAGE}): fp32, and fp16 as TensorRT's FP16 mode, the like of 2019's TF-TRT
 * FP16; {@code at-load} builds the engine in every run, {@code ahead} builds it once and loads it
 * ({@link EngineFile}). Timed by trtexec, not in a JMH fork: the cell is handed to {@link TensorRtCell}.
 * Named with {@code --runtimes} only, since it needs a GPU and trtexec.
 */
public final class TensorRtEngine implements InferenceEngine {
    private static final String TOOL = "trtexec (slimbench.tensorrt)";
    private static final String TRTEXEC_TIMES = "tensorrt cells are timed by " + TOOL + ", not in a JMH fork";

    @Override
    public Engine name() {
        return Engine.TENSORRT;
    }

    /** As results files have always shown it. */
    @Override
    public String title() {
        return Engine.TENSORRT.label();
    }

    @Override
    public boolean byDefault() {
        return false;
    }

    @Override
    public Optional<String> loadProblem() {
        Trtexec.Lookup l = Trtexec.lookup();
        return l.trtexec().isPresent() ? Optional.empty() : Optional.of(l.problem());
    }

    @Override
    public List<Variant> variants() {
        return List.of(Variant.FP32, Variant.FP16);
    }

    @Override
    public Optional<String> problem(CellSpec cell) {
        if (cell.model() == null) {
            return Optional.of("tensorrt runs the zoo's models, not a user's own file");
        }
        if (!variants().contains(cell.variant())) {
            return Optional.of("tensorrt runs fp32 and fp16 (TensorRT's FP16 mode, the like of tftrt-fp16), not "
                    + cell.variant());
        }
        return loadProblem();
    }

    @Override
    public Map<String, String> conditions(RunSettings run) {
        return Trtexec.conditions(run.warmups(), run.iterations(), run.iterationTime());
    }

    @Override
    public Map<String, String> settings(Variant variant, Path file) {
        return Map.of();
    }

    @Override
    public Path file(Path cache, CellSpec cell) throws IOException {
        return Generator.ensureOnnx(cache, cell.model(), Precision.FP32, cell.scale(), 1, OnnxForm.FLOAT_IMAGE).path();
    }

    @Override
    public void warmUp(int threads) {
        throw new UnsupportedOperationException(TRTEXEC_TIMES);
    }

    @Override
    public Inference load(Path file, LoadOptions options) {
        throw new UnsupportedOperationException(TRTEXEC_TIMES);
    }

    /** TensorRT's FP16 mode computes in half; fp32 runs without TF32 ({@link Trtexec#precision}), in float. */
    @Override
    public Answers answers(CellSpec cell) {
        return new Answers(cell.variant() == Variant.FP16 ? Precision.FP16 : Precision.FP32, cell.optimize(), false,
                " through TensorRT");
    }

    /** Its cells run on the GPU. */
    @Override
    public boolean onThisCpu() {
        return false;
    }

    @Override
    public boolean buildsTensorRtFp16() {
        return true;
    }

    @Override
    public OpProfile.Measured profile(Path cache, OpProfile.Options options) {
        throw new IllegalArgumentException("profile runs tensorflow or onnxruntime; TensorRT's own per-layer "
                + "times are trtexec's --dumpProfile");
    }

    @Override
    public Optional<SelfTimed> selfTimed() {
        return Optional.of(new SelfTimed() {
            @Override
            public Figures measure(CellSpec cell, Plan plan) throws IOException {
                return TensorRtCell.measure(cell, plan);
            }

            @Override
            public String tool() {
                return TOOL;
            }
        });
    }
}
