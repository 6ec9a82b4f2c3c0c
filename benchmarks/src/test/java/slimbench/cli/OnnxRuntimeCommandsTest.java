package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import slimbench.cli.Cli.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' ONNX Runtime options, as a user gives them: what they print and how they exit. */
class OnnxRuntimeCommandsTest {
    @TempDir
    Path tmp;

    private static Outcome run(Object... args) {
        return Cli.run(args);
    }

    @Test
    void checkRunsAModelThroughOnnxRuntimeAndPrintsItsSessionOptions() {
        Outcome o = run("check", "--runtime", "onnxruntime", "--model", "inception_v2", "--variant", "fp16", "--scaled");
        assertEquals(0, o.exit(), o.out() + o.err());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.contains("ort.version=1.22.0"), o.out());
        assertTrue(lines.contains("ort.optimization_level=ALL_OPT"), o.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("check OK inception_v2 fp16 onnxruntime (scaled): top-1 class "),
                o.out());
    }

    @Test
    void checkSaysWhatOnnxRuntimeDoesNotRun() {
        Outcome o = run("check", "--runtime", "onnxruntime", "--variant", "bf16", "--scaled");
        assertEquals(1, o.exit(), o.out() + o.err());
        assertTrue(o.out().contains("check UNSUPPORTED mobilenet_v1 bf16 onnxruntime: ONNX Runtime runs the fp32 and fp16 ONNX models, not bf16"),
                o.out());
    }

    @Test
    void anUnknownRuntimeOrABfloat16OnnxFileIsOneLineAndExitTwo() throws Exception {
        Outcome unknown = run("check", "--runtime", "openvino", "--scaled");
        assertEquals(2, unknown.exit());
        // The jar's own engines first; the test class path adds one of its own after them (FakeEngineTest).
        assertTrue(unknown.err().strip().startsWith("error: unknown runtime 'openvino'; valid: tensorflow, onnxruntime, "
                + "tensorrt"), unknown.err());

        Outcome bf16 = run("generate", "--model", "mobilenet_v1", "--variant", "bf16", "--onnx", "--out", tmp,
                "--input-size", "75", "--width", "0.125", "--classes", "10");
        assertEquals(2, bf16.exit());
        assertEquals("error: --onnx writes fp32 and fp16 models, not bf16", bf16.err().strip());
        try (var files = Files.list(tmp)) {
            assertFalse(files.findAny().isPresent(), "nothing written");
        }
    }

    @Test
    void generateWritesTheOnnxModelBesideTheGraphWithItsRecord() {
        Outcome o = run("generate", "--model", "resnet_v2_50", "--variant", "fp16", "--onnx", "--out", tmp,
                "--input-size", "75", "--width", "0.125", "--classes", "10");
        assertEquals(0, o.exit(), o.err());
        Path onnx = tmp.resolve("resnet_v2_50-s75-w0.125-c10").resolve("fp16.onnx");
        assertTrue(o.out().contains(onnx + "  "), o.out());
        assertTrue(Files.isRegularFile(onnx.resolveSibling("fp16.onnx.sha256")));
    }

    @Test
    void accuracySetsTheOnnxFilesBesideTensorFlowsVariants() {
        Outcome o = run("accuracy", "--onnx", "--models", "mobilenet_v2", "--scale", "tiny", "--images", "1",
                "--cache", tmp);
        assertEquals(0, o.exit(), o.out() + o.err());
        for (String p : List.of("fp32", "fp16")) {
            assertTrue(o.out().lines().anyMatch(l -> l.matches("mobilenet_v2 +" + p + " +ahead +onnxruntime +1/1 .* pass")),
                    o.out());
        }
        assertTrue(o.out().lines().anyMatch(l -> l.matches("mobilenet_v2 +fp16 +at-load +tensorflow .*")), o.out());
    }
}
