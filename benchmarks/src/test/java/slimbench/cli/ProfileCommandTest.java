package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import slimbench.cli.Cli.Outcome;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import slimbench.report.ProfileReport;

/** {@code profile} as a user runs it: a summary and a per-node CSV, or a one-line error and exit 2. */
class ProfileCommandTest {
    @TempDir
    Path tmp;

    private static Outcome run(Object... args) {
        return Cli.run(Stream.concat(Stream.of("profile"), Arrays.stream(args)).toArray());
    }

    @Test
    void printsWhereTheTimeGoesAndWritesTheNodeTable() throws Exception {
        Path csv = tmp.resolve("nodes.csv");
        Outcome o = run("--model", "mobilenet_v1", "--scale", "tiny", "--runs", 3, "--threads", 1, "--top", 3,
                "--cache", tmp.resolve("models"), "--csv", csv);
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("_MklNativeFusedDepthwiseConv2dNative") || o.out().contains("DepthwiseConv2dNative"),
                o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("convolution kernels: [\\d.]+ GFLOP/s = [\\d.]+% of the "
                + "[\\d.]+ GFLOP/s fp32 peak; they take [\\d.]+% of op time")), o.out());
        assertTrue(o.out().contains("(+0.00%)"), "kernel FLOPs are the model's MACs twice: " + o.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", ProfileReport.COLUMNS), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("MobilenetV1/Conv2d_0/")), lines.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("models", "nodes.csv"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left beside the CSV");
        }
    }

    @Test
    void profilesOnnxRuntimeByItsOwnProfilerAndLeavesNoTraceBehind() throws Exception {
        Path csv = tmp.resolve("nodes.csv");
        long before = ortProfiles();
        Outcome o = run("--runtime", "onnxruntime", "--model", "mobilenet_v2", "--variant", "fp16", "--scale", "tiny",
                "--runs", 3, "--threads", 1, "--top", 2, "--cache", tmp.resolve("models"), "--csv", csv);
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().startsWith("mobilenet_v2 fp16 on onnxruntime"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("Conv +\\d+ .*")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.matches("kernel FLOPs: .* GMAC \\([+-][\\d.]+%\\).*")), o.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", ProfileReport.COLUMNS), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("MobilenetV2/Conv/") && l.contains(",Conv,")), lines.toString());
        assertEquals(before, ortProfiles(), "ONNX Runtime's JSON trace is deleted once read");
    }

    private static long ortProfiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("slimbench-ort-profile")).count();
        }
    }

    static Stream<Arguments> badInput() {
        return Stream.of(Arguments.of(List.of("--model", "resnet_v9"), "error: unknown model 'resnet_v9'; valid: "),
                Arguments.of(List.of("--runs", "0"), "error: runs must be at least 1, not 0"),
                Arguments.of(List.of("--threads", "-1"), "error: threads must be 0"),
                Arguments.of(List.of("--top", "-2"), "error: --top must be 0 or more"),
                Arguments.of(List.of("--variant", "tftrt-fp16"), "error: profile traces the model's own precisions"),
                Arguments.of(List.of("--optimize", "later"), "error: unknown optimize mode 'later'"),
                Arguments.of(List.of("--runtime", "tflite"), "error: unknown runtime 'tflite'; valid: tensorflow, onnxruntime"),
                Arguments.of(List.of("--runtime", "onnxruntime", "--variant", "bf16"),
                        "error: ONNX Runtime runs fp32 and fp16 models, not bf16"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputExits2WithOneLineAndGeneratesNothing(List<String> args, String message) {
        Path models = tmp.resolve("models");
        Outcome o = run(Stream.concat(args.stream(), Stream.of("--cache", models.toString())).toArray());
        assertEquals(2, o.exit(), o.err());
        assertTrue(o.err().startsWith(message), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        assertTrue(!Files.exists(models), "nothing generated for bad input");
    }
}
