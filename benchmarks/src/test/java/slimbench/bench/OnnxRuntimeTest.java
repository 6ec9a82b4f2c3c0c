package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import slimbench.engine.Inference;
import slimbench.engine.LoadOptions;
import slimbench.engine.OnnxRuntimeModel;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * The ONNX translation of the zoo through ONNX Runtime, scaled down: every kind of block (vgg's
 * plain stack and fully connected head, both resnets' padded strided units and pre-activation,
 * the inceptions' branches and concats, mobilenets' depthwise and relu6) answers as TensorFlow's
 * FP32 graph does on the same images, within the derived bound.
 */
class OnnxRuntimeTest {
    /** As {@code VariantsTest}: every feature map stays at least 2x2. */
    private static final Scale SCALE = new Scale(107, 0.25, 10);

    @TempDir
    static Path cache;

    static Stream<Arguments> models() {
        List<Arguments> a = new ArrayList<>();
        for (Model m : List.of(Model.VGG_16, Model.RESNET_V1_50, Model.RESNET_V2_50, Model.INCEPTION_V1,
                Model.INCEPTION_V3, Model.INCEPTION_RESNET_V2, Model.MOBILENET_V1, Model.MOBILENET_V2)) {
            for (Precision p : List.of(Precision.FP32, Precision.FP16)) {
                a.add(Arguments.of(m, p));
            }
        }
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void answersAsTensorFlowFp32Does(Model model, Precision precision) throws Exception {
        AccuracyGuard.Verdict v = AccuracyGuard.checkOnnx(cache, model, SCALE, precision, 3);
        assertTrue(v.passed(), () -> model + " " + precision + " through ONNX Runtime: top-1 " + v.top1Agree() + "/"
                + v.images() + ", max relative error " + v.maxRelativeError() + " > " + v.tolerance());
    }

    @Test
    void theGuardTellsADifferentNetworkApart() throws Exception {
        Model model = Model.RESNET_V1_50;
        float[][] tensorflow = AccuracyGuard.probabilities(cache, model, SCALE, Precision.FP32,
                slimbench.model.Optimize.AT_LOAD, 3);
        Path otherSeed = Generator.ensureOnnx(cache, model, Precision.FP32, SCALE, 2).path();
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(otherSeed, LoadOptions.zoo(Optimize.AHEAD, 1))) {
            AccuracyGuard.Verdict v = AccuracyGuard.compare(tensorflow, m.probabilities(3), model, Precision.FP32,
                    slimbench.model.Optimize.AHEAD, AccuracyGuard.tolerance(model, SCALE, Precision.FP32));
            assertTrue(!v.passed(), "other weights pass the guard: max relative error " + v.maxRelativeError());
        }
    }

    @Test
    void theGuardsReferenceFromAChildProcessIsTensorFlowsOwnAnswerBitForBit() throws Exception {
        Scale scale = new Scale(75, 0.125, 7);
        float[][] here = AccuracyGuard.probabilities(cache, Model.INCEPTION_V1, scale, Precision.FP32,
                slimbench.model.Optimize.AHEAD, 2);
        float[][] child = TensorFlowReference.probabilities(cache, Model.INCEPTION_V1, scale, 2);
        assertEquals(here.length, child.length);
        for (int i = 0; i < here.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(here[i], child[i]);
        }
    }

    @Test
    void theCachedFileIsVerifiedAndACorruptedOneMadeAgain() throws Exception {
        ModelFiles.Written first = Generator.ensureOnnx(cache, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1);
        assertTrue(first.path().toString().endsWith(".onnx"), first.path().toString());
        assertEquals(first.sha256(), Generator.ensureOnnx(cache, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1).sha256());
        byte[] bytes = Files.readAllBytes(first.path());
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(first.path(), bytes, StandardOpenOption.TRUNCATE_EXISTING);
        assertNotEquals(first.sha256(), ModelFiles.sha256(first.path()));
        ModelFiles.Written again = Generator.ensureOnnx(cache, Model.MOBILENET_V1, Precision.FP32, Scale.TINY, 1);
        assertEquals(first.sha256(), again.sha256(), "the corrupted file is regenerated, byte for byte");
    }

    @Test
    void aLoadedModelHasReadAndSessionPhasesAndAProbabilityOutput() throws Exception {
        Path file = Generator.ensureOnnx(cache, Model.RESNET_V1_50, Precision.FP32, Scale.TINY, 1).path();
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file, LoadOptions.zoo(Optimize.AHEAD, 1))) {
            assertEquals(Scale.TINY.inputSize(), m.inputSize());
            assertTrue(m.phases().readNanos() > 0 && m.phases().sessionNanos() > 0, m.phases().toString());
            assertEquals(Inference.Phases.NO_IMPORT, m.phases().importNanos());
            int top = m.inferAndCheck();
            assertTrue(top >= 0 && top < Model.RESNET_V1_50.classes(Scale.TINY));
            m.inferDiscarding();
        }
    }

    @Test
    void theRecordedSessionOptionsAreTheOnesSet() throws Exception {
        OnnxRuntimeModel.environment();
        try (var o = OnnxRuntimeModel.options(2)) {
            o.getConfigEntries().forEach((k, v) -> assertEquals(v, OnnxRuntimeModel.sessionOptions(2).get("ort." + k), k));
            assertEquals(1, o.getConfigEntries().size(), o.getConfigEntries().toString());
        }
        assertEquals("2", OnnxRuntimeModel.sessionOptions(2).get("ort.intra_op_threads"));
        assertEquals("ALL_OPT", OnnxRuntimeModel.sessionOptions(2).get("ort.optimization_level"));
    }

    @Test
    void bfloat16HasNoOnnxFile() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Generator.ensureOnnx(cache, Model.MOBILENET_V1, Precision.BF16, Scale.TINY, 1));
        assertTrue(e.getMessage().contains("fp32 and fp16"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxIsAClearError() throws Exception {
        Path bad = cache.resolve("not-a-model.onnx");
        Files.writeString(bad, "this is not a protobuf");
        var e = assertThrows(IllegalStateException.class, () -> OnnxRuntimeModel.load(bad, LoadOptions.zoo(Optimize.AHEAD, 1)));
        assertTrue(e.getMessage().startsWith("ONNX Runtime "), e.getMessage());
    }
}
