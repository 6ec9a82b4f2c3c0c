package slimbench.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import slimbench.engine.Inference;
import slimbench.engine.InferenceEngine;
import slimbench.engine.LoadOptions;
import slimbench.engine.LoadedModel;
import slimbench.engine.OneDnnIsa;
import slimbench.engine.OnnxRuntimeModel;
import slimbench.model.ErrorBound;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * The accuracy guard: a reduced-precision or ahead-optimised model must answer as the FP32 model
 * does on a fixed set of deterministic images, or it is reported instead of silently benchmarked.
 * The guard is: on every image, the variant's top-1 class is FP32's, or one FP32 scores within the
 * tolerance of its top-1 (a near tie that rounding may flip); and every probability is within
 * {@link #tolerance} of FP32's, relative to FP32's largest probability (the random weights give
 * flat distributions, where absolute differences would say nothing). The tolerance is derived
 * from the formats and the network's depth ({@link ErrorBound}), not tuned to a CPU.
 */
public final class AccuracyGuard {
    /** How one variant compared with FP32 at-load. */
    public record Verdict(Model model, Precision precision, Optimize optimize, int images, int top1Agree,
                          double maxRelativeError, double tolerance) {
        public boolean passed() {
            return top1Agree == images && maxRelativeError <= tolerance;
        }
    }

    private AccuracyGuard() {}

    /** The largest relative probability error allowed between a variant in {@code p} and FP32. */
    public static double tolerance(Model model, Scale scale, Precision p) {
        return ErrorBound.of(model, scale).between(p, Precision.FP32);
    }

    public static Verdict check(Path cache, Model model, Scale scale, Precision precision, Optimize optimize,
                                int images) throws IOException {
        float[][] reference = probabilities(cache, model, scale, Precision.FP32, Optimize.AT_LOAD, images);
        return compare(reference, cache, model, scale, precision, optimize);
    }

    /**
     * Every precision and mode of a model against one FP32 at-load reference, but for the
     * precisions this process cannot run ({@link OneDnnIsa#unrunnable}).
     */
    public static List<Verdict> checkAll(Path cache, Model model, Scale scale, int images) throws IOException {
        float[][] reference = probabilities(cache, model, scale, Precision.FP32, Optimize.AT_LOAD, images);
        List<Verdict> verdicts = new ArrayList<>();
        for (Precision p : Precision.values()) {
            if (OneDnnIsa.unrunnable(p).isPresent()) {
                continue;
            }
            for (Optimize o : Optimize.values()) {
                if (p != Precision.FP32 || o != Optimize.AT_LOAD) {
                    verdicts.add(compare(reference, cache, model, scale, p, o));
                }
            }
        }
        return verdicts;
    }

    /**
     * An ONNX model through ONNX Runtime against TensorFlow's FP32 graph on the same images: the
     * guard across runtimes, with the bound of the ONNX model's precision against FP32 (for an
     * fp32 file, two float computations that round differently). Its mode is {@code ahead}: the
     * ONNX file is the folded graph's translation.
     */
    public static Verdict checkOnnx(Path cache, Model model, Scale scale, Precision precision, int images)
            throws IOException {
        float[][] reference = probabilities(cache, model, scale, Precision.FP32, Optimize.AT_LOAD, images);
        Path file = Generator.ensureOnnx(cache, model, precision, scale, 1).path();
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file, LoadOptions.zoo(Optimize.AHEAD, 0))) {
            return compare(reference, m.probabilities(images), model, scale, precision, Optimize.AHEAD);
        }
    }

    private static Verdict compare(float[][] reference, Path cache, Model model, Scale scale, Precision precision,
                                   Optimize optimize) throws IOException {
        return compare(reference, probabilities(cache, model, scale, precision, optimize, reference.length),
                model, scale, precision, optimize);
    }

    /** The guard's comparison of a variant's answers with FP32's. */
    static Verdict compare(float[][] reference, float[][] candidate, Model model, Scale scale,
                           Precision precision, Optimize optimize) {
        return compare(reference, candidate, model, precision, optimize, tolerance(model, scale, precision));
    }

    /** The guard's comparison of two sets of answers with a given tolerance (from {@link ErrorBound}). */
    public static Verdict compare(float[][] reference, float[][] candidate, Model model, Precision precision,
                                  Optimize optimize, double tolerance) {
        int images = reference.length;
        int agree = 0;
        double maxErr = 0;
        for (int i = 0; i < images; i++) {
            float[] r = reference[i];
            float[] c = candidate[i];
            int top = Inference.checkProbabilities(r);
            int chosen = Inference.checkProbabilities(c);
            if (chosen == top || r[chosen] >= r[top] * (1 - tolerance)) {
                agree++;
            }
            for (int k = 0; k < r.length; k++) {
                maxErr = Math.max(maxErr, Math.abs(c[k] - r[k]) / r[top]);
            }
        }
        return new Verdict(model, precision, optimize, images, agree, maxErr, tolerance);
    }

    static float[][] probabilities(Path cache, Model model, Scale scale, Precision precision,
                                           Optimize optimize, int images) throws IOException {
        Path file = Generator.ensure(cache, model, precision, optimize, scale, 1).path();
        try (LoadedModel m = LoadedModel.load(file, LoadOptions.zoo(optimize, 0))) {
            return m.probabilities(images);
        }
    }

    /**
     * Before a steady-state cell is timed: its model must answer as TensorFlow's FP32 {@code ahead}
     * graph does (which answers as {@code at-load} does to 1e-6), or the cell fails with the reason
     * instead of being benchmarked. The reference is computed in a child JVM and cached
     * ({@link TensorFlowReference}) whichever engine the cell runs, so the measuring process holds
     * one session only; an ONNX file is the {@code ahead} graph's translation.
     */
    static void require(Inference candidate, InferenceEngine.Answers answers, Path cache, Model model, Scale scale)
            throws IOException {
        if (answers.reference()) {
            return; // the reference itself
        }
        Precision precision = answers.arithmetic();
        float[][] reference = TensorFlowReference.probabilities(cache, model, scale, TensorFlowReference.IMAGES);
        Verdict v = compare(reference, candidate.probabilities(TensorFlowReference.IMAGES), model, scale, precision,
                answers.graph());
        if (!v.passed()) {
            throw new IllegalStateException(model + " " + precision.label() + " " + v.optimize().label()
                    + answers.through() + " breaks the accuracy guard against fp32: top-1 "
                    + v.top1Agree() + "/" + v.images() + ", max relative error " + v.maxRelativeError() + " > "
                    + v.tolerance());
        }
    }

    /**
     * TensorFlow's FP32 {@code ahead} answers to the first {@code images} images, from a child JVM:
     * the reference for answers computed outside this JVM (a {@code tensorrt} cell's, by trtexec),
     * which {@link #compare(float[][], float[][], Model, Precision, Optimize, double)} then judges.
     */
    public static float[][] fp32Reference(Path cache, Model model, Scale scale, int images) throws IOException {
        return TensorFlowReference.probabilities(cache, model, scale, images);
    }
}
