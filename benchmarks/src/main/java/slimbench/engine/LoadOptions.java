package slimbench.engine;

import java.util.function.Consumer;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * How a model file is loaded, for either engine: the names of its input and output, the variant
 * (which says whether TensorRT runs it), the optimisation mode, the intra-op threads (0 lets the
 * engine choose) and who hears each load phase end (the cold start marks resident memory there).
 * ONNX Runtime ignores the optimisation mode: its file is always the {@code ahead} graph's translation.
 */
public record LoadOptions(String inputName, String outputName, Variant variant, Optimize optimize, int threads,
                          Consumer<String> onPhase) {
    private static final Consumer<String> NOBODY = phase -> { };

    /** A model of the zoo, by its standard node names, in fp32's way (no TensorRT). */
    public static LoadOptions zoo(Optimize optimize, int threads) {
        return new LoadOptions(Model.INPUT, Model.OUTPUT, Variant.FP32, optimize, threads, NOBODY);
    }

    public LoadOptions names(String input, String output) {
        return new LoadOptions(input, output, variant, optimize, threads, onPhase);
    }

    public LoadOptions variant(Variant v) {
        return new LoadOptions(inputName, outputName, v, optimize, threads, onPhase);
    }

    public LoadOptions onPhase(Consumer<String> listener) {
        return new LoadOptions(inputName, outputName, variant, optimize, threads, listener);
    }
}
