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
import slimbench.natives.NativeLoad;

/**
 * TensorFlow Java on the model's frozen graph ({@link LoadedModel}), bound to oneDNN at load where
 * it runs the precision ({@link OneDnnBinding}); every variant, tftrt-fp16 through TF-TRT where the
 * runtime registers it ({@link TfTrt}); one cell per optimize mode, since each mode is its own file.
 * Its version and natives are the device's in {@code conditions.csv} ({@code tf.*}), recorded for every run.
 */
public final class TensorFlowEngine implements InferenceEngine {
    @Override
    public Engine name() {
        return Engine.TENSORFLOW;
    }

    @Override
    public String title() {
        return "TensorFlow";
    }

    @Override
    public boolean byDefault() {
        return true;
    }

    @Override
    public Optional<String> loadProblem() {
        return NativeLoad.problem();
    }

    @Override
    public void requireNatives() {
        NativeLoad.require();
    }

    @Override
    public List<Variant> variants() {
        return List.of(Variant.values());
    }

    @Override
    public Optional<String> problem(CellSpec cell) {
        try {
            if (cell.variant() == Variant.TFTRT_FP16) {
                TfTrt.requireSupported();
            }
        } catch (UnsupportedOperationException e) {
            return Optional.of(e.getMessage());
        }
        return OneDnnIsa.unrunnable(cell.variant().precision());
    }

    @Override
    public Map<String, String> conditions(RunSettings run) {
        return Map.of(); // the device's tf.* keys, which every run records
    }

    @Override
    public Map<String, String> settings(Variant variant, Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tf.version", TensorFlowRuntime.tensorflowVersion());
        m.put("tf.native", TensorFlowRuntime.nativePlatform());
        return m;
    }

    @Override
    public Path file(Path cache, CellSpec cell) throws IOException {
        return Generator.located(cache, cell.model(), cell.variant().precision(), cell.optimize(), cell.scale(), 1);
    }

    @Override
    public void warmUp(int threads) {
        TensorFlowRuntime.runEmptyGraph(threads);
    }

    @Override
    public Inference load(Path file, LoadOptions options) throws IOException {
        return LoadedModel.load(file, options);
    }

    /** TF-TRT's FP16 kernels compute in half whatever the file holds: held to fp16's bound. */
    @Override
    public Answers answers(CellSpec cell) {
        Precision arithmetic = cell.variant() == Variant.TFTRT_FP16 ? TensorRtProvider.ARITHMETIC
                : cell.variant().precision();
        return new Answers(arithmetic, cell.optimize(), arithmetic == Precision.FP32
                && cell.optimize() == Optimize.AHEAD, "");
    }

    @Override
    public OpProfile.Measured profile(Path cache, OpProfile.Options options) throws IOException {
        return OpProfile.measureTensorFlow(cache, options);
    }
}
