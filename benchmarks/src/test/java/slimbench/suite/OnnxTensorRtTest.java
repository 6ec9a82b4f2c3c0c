package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.engine.TensorRtProvider;
import slimbench.model.Engine;
import slimbench.model.Mode;

/**
 * tftrt-fp16 on ONNX Runtime where its TensorRT provider cannot run (this machine: the CPU jar, no
 * GPU): every such cell is recorded UNSUPPORTED with the reason, the conditions say it once, and
 * {@code check} says it in one line and exits 1.
 */
class OnnxTensorRtTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
    }

    private static String reason() {
        var problem = TensorRtProvider.problem();
        assumeTrue(problem.isPresent(), "TensorRT's provider runs here");
        return problem.get();
    }

    @Test
    void aRunRecordsEveryTensorRtCellUnsupportedWithTheReason() throws Exception {
        String reason = reason();
        Path root = tmp.resolve("reports");
        int exit = slimbench.cli.Main.commandLine().execute("run", "--preset", "quick", "--scale", "tiny",
                "--models", "mobilenet_v2", "--variants", "tftrt-fp16", "--modes", "cold,steady",
                "--runtimes", "onnxruntime", "--forks", "1", "--iterations", "2", "--no-probes",
                "--cache", tmp.resolve("cache").toString(), "--out", root.toString());
        assertEquals(0, exit, "UNSUPPORTED answers the cell");
        Path results;
        try (Stream<Path> s = Files.walk(root)) {
            results = s.filter(p -> p.endsWith("results.csv")).findFirst().orElseThrow();
        }
        List<ResultRow> cells = ResultsCsv.read(results).stream()
                .filter(r -> r.mode() == Mode.COLD || r.mode() == Mode.STEADY).toList();
        assertEquals(Set.of(Mode.COLD, Mode.STEADY), cells.stream().map(ResultRow::mode).collect(Collectors.toSet()));
        for (ResultRow r : cells) {
            assertEquals(Engine.ONNXRUNTIME, r.runtime(), r.toString());
            assertEquals(Status.UNSUPPORTED, r.status(), r.toString());
            assertTrue(r.message().startsWith(reason + " (log: "), r.toString()); // the cell's log beside it
        }
        Map<String, String> conditions = Conditions.read(results.resolveSibling("conditions.csv"));
        assertEquals("no: " + reason, conditions.get("ort.tensorrt"));
        assertEquals("1", conditions.get("ort.tensorrt.trt_fp16_enable"));
    }

    @Test
    void checkSaysWhyInOneLineAndExitsOne() {
        String reason = reason();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = slimbench.cli.Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("check", "--runtime", "onnxruntime", "--variant", "tftrt-fp16", "--scale", "tiny");
        assertEquals(1, exit, out + "" + err);
        List<String> lines = out.toString().lines().toList();
        assertEquals("check UNSUPPORTED mobilenet_v1 tftrt-fp16 onnxruntime: " + reason, lines.get(lines.size() - 1));
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
