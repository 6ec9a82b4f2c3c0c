package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.RewriterConfig;
import slimbench.engine.Engines;
import slimbench.engine.LoadOptions;
import slimbench.engine.LoadedModel;
import slimbench.engine.TensorFlowRuntime;
import slimbench.engine.TfTrt;
import slimbench.model.Generator;
import slimbench.model.Engine;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/** The precision and optimisation variants of every architecture, scaled down: they run and answer as FP32 does. */
class VariantsTest {
    /**
     * Wider than TINY, so weights dominate the file as at full size. Input 107 keeps every map at
     * least 2x2: TensorFlow 2.18's half Conv2D gives wrong answers for a 3x1 kernel on a 1x1 map
     * (inception_resnet_v2's block8 at input 75: relative error 1.4, found by this guard).
     */
    private static final Scale SCALE = new Scale(107, 0.25, 10);

    @TempDir
    static Path cache;

    static Stream<Arguments> variants() {
        List<Arguments> a = new ArrayList<>();
        for (Model m : Model.values()) {
            for (Precision p : Precision.values()) {
                for (Optimize o : Optimize.values()) {
                    if (p != Precision.FP32 || o != Optimize.AT_LOAD) {
                        a.add(Arguments.of(m, p, o));
                    }
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void passesTheAccuracyGuardOnThisCpu(Model model, Precision precision, Optimize optimize) throws Exception {
        ThisCpu.assumeRuns(precision);
        AccuracyGuard.Verdict v = AccuracyGuard.check(cache, model, SCALE, precision, optimize, 3);
        assertTrue(v.passed(), () -> model + " " + precision + " " + optimize + ": top-1 " + v.top1Agree() + "/"
                + v.images() + ", max relative error " + v.maxRelativeError() + " > " + v.tolerance());
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void halfPrecisionFilesAreAboutHalfTheSize(Model model) throws Exception {
        long fp32 = Files.size(Generator.ensure(cache, model, Precision.FP32, Optimize.AT_LOAD, SCALE, 1).path());
        for (Precision p : List.of(Precision.FP16, Precision.BF16)) {
            long reduced = Files.size(Generator.ensure(cache, model, p, Optimize.AT_LOAD, SCALE, 1).path());
            double ratio = reduced / (double) fp32;
            // Batch-norm statistics stay float32 (TensorFlow's kernels take them so) and the graph itself is
            // not weights: a scaled-down model sits a little above one half, a full-size one at ~0.50.
            assertTrue(ratio > 0.45 && ratio < 0.62, model + " " + p + " size ratio " + ratio);
        }
    }

    @Test
    void aVariantThatNoLongerAnswersAsFp32FailsItsCellBeforeTimingOnThisCpu() throws Exception {
        ThisCpu.assumeRuns(Precision.FP16);
        // Stand-in for a broken conversion: the fp16 model of other weights (seed 2) against seed 1's fp32.
        Path broken = cache.resolve("broken-fp16.pb");
        Generator.generate(Model.MOBILENET_V1, Precision.FP16, Optimize.AT_LOAD, SCALE, slimbench.model.Weights.seeded(2),
                broken);
        var fp16 = Engines.of(Engine.TENSORFLOW).answers(new slimbench.model.CellSpec(Model.MOBILENET_V1, null,
                slimbench.model.Variant.FP16, Optimize.AT_LOAD, SCALE, 1, slimbench.model.Mode.STEADY, Engine.TENSORFLOW));
        try (LoadedModel m = LoadedModel.load(broken, LoadOptions.zoo(Optimize.AT_LOAD, 1))) {
            var e = assertThrows(IllegalStateException.class, () -> AccuracyGuard.require(m, fp16, cache,
                    Model.MOBILENET_V1, SCALE));
            assertTrue(e.getMessage().contains("breaks the accuracy guard"), e.getMessage());
        }
        // The real fp16 model passes the same check.
        Path good = Generator.ensure(cache, Model.MOBILENET_V1, Precision.FP16, Optimize.AT_LOAD, SCALE, 1).path();
        try (LoadedModel m = LoadedModel.load(good, LoadOptions.zoo(Optimize.AT_LOAD, 1))) {
            AccuracyGuard.require(m, fp16, cache, Model.MOBILENET_V1, SCALE);
        }
    }

    @Test
    void tfTrtIsConfiguredAsTheExperimentConvertedIt() {
        RewriterConfig c = TfTrt.rewriterConfig(Optimize.AT_LOAD);
        assertEquals(1, c.getCustomOptimizersCount());
        var trt = c.getCustomOptimizers(0);
        assertEquals("TensorRTOptimizer", trt.getName());
        assertEquals("FP16", trt.getParameterMapOrThrow("precision_mode").getS().toStringUtf8());
        assertEquals(50, trt.getParameterMapOrThrow("minimum_segment_size").getI());
        assertEquals(1, trt.getParameterMapOrThrow("max_batch_size").getI());
        assertTrue(trt.getParameterMapOrThrow("is_dynamic_op").getB(), "engines built at first run");
        assertTrue(!TfTrt.rewriterConfig(Optimize.AHEAD).getCustomOptimizers(0)
                .getParameterMapOrThrow("is_dynamic_op").getB(), "ahead: engines built before the first run");
    }

    @Test
    void tfTrtIsUnsupportedWithTheReasonOnThisRuntime() {
        // No TensorFlow Java native build registers TRTEngineOp (checked: x86_64, arm64, x86_64-gpu).
        assertTrue(!TensorFlowRuntime.hasTensorRt());
        var e = assertThrows(UnsupportedOperationException.class, TfTrt::requireSupported);
        assertTrue(e.getMessage().contains("TRTEngineOp"), e.getMessage());
    }
}
