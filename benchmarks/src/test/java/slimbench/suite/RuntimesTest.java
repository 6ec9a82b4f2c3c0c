package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;

/**
 * The runtime axis: one run measures the same cells on TensorFlow and on ONNX Runtime, each cell
 * with its own runtime in results.csv, records ONNX Runtime's session options in the conditions, and
 * its report and diff set the runtimes side by side.
 */
class RuntimesTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
    }

    @Test
    void onnxRuntimeHasOneCellWhereTensorFlowHasOnePerOptimizeMode() {
        SuiteOptions o = Suites.Spec.tiny(tmp, tmp).options();
        SuiteOptions both = new SuiteOptions(o.preset(), o.models(), o.variants(),
                List.of(Optimize.AT_LOAD, Optimize.AHEAD), o.threads(), o.modes(),
                List.of(Engine.TENSORFLOW, Engine.ONNXRUNTIME), o.coldForks(), o.steadyForks(), o.warmups(),
                o.iterations(), o.iterationTime(), o.cellTimeout(), o.memoryLimit(), o.scale(), o.cache(), o.modelFile(),
                o.inputName(), o.outputName(), o.outputRoot(), o.resume(), o.forkJvmArgs(), o.probes(), o.retryFailed(), o.fileCache(), o.fixedForks(), o.target(), o.coldBudget(), o.steadyBudget(), o.chooseThreads());
        List<CellSpec> cells = both.cells();
        assertEquals(4, cells.stream().filter(c -> c.runtime().equals(Engine.TENSORFLOW)).count(), cells.toString());
        List<CellSpec> ort = cells.stream().filter(c -> c.runtime().equals(Engine.ONNXRUNTIME)).toList();
        assertEquals(2, ort.size(), cells.toString());
        assertTrue(ort.stream().allMatch(c -> c.optimize() == Optimize.AHEAD), ort.toString());
    }

    @Test
    void aTinyRunWritesBothRuntimesCellsAndOnnxRuntimesSessionOptions() throws Exception {
        Path root = tmp.resolve("reports");
        int exit = slimbench.cli.Main.commandLine().execute("run", "--preset", "quick", "--scale", "tiny",
                "--models", "mobilenet_v2", "--variants", "fp32", "--optimize", "ahead", "--modes", "cold,steady",
                "--runtimes", "tensorflow,onnxruntime", "--threads", "1", "--forks", "1", "--iterations", "2", "--no-probes",
                "--cache", tmp.resolve("cache").toString(), "--out", root.toString());
        assertEquals(0, exit);
        Path results;
        try (Stream<Path> s = Files.walk(root)) {
            results = s.filter(p -> p.endsWith("results.csv")).findFirst().orElseThrow();
        }
        List<ResultRow> rows = ResultsCsv.read(results);
        Map<Engine, Set<Mode>> modesByRuntime = rows.stream()
                .filter(r -> r.mode() == Mode.COLD || r.mode() == Mode.STEADY)
                .collect(Collectors.groupingBy(ResultRow::runtime, Collectors.mapping(ResultRow::mode, Collectors.toSet())));
        assertEquals(Map.of(Engine.TENSORFLOW, Set.of(Mode.COLD, Mode.STEADY), Engine.ONNXRUNTIME, Set.of(Mode.COLD, Mode.STEADY)),
                modesByRuntime, rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.status() == Status.OK), rows.toString());
        for (Engine runtime : List.of(Engine.TENSORFLOW, Engine.ONNXRUNTIME)) {
            assertTrue(rows.stream().anyMatch(r -> r.runtime().equals(runtime) && r.mode() == Mode.STEADY
                    && r.metric().equals("avg") && r.score() > 0), runtime + " steady mean in " + rows);
            assertTrue(rows.stream().anyMatch(r -> r.runtime().equals(runtime) && r.mode() == Mode.COLD
                    && r.metric().equals("first_inference") && r.score() > 0), runtime + " first inference in " + rows);
        }
        assertTrue(rows.stream().noneMatch(r -> r.runtime().equals(Engine.ONNXRUNTIME) && r.metric().equals("import")),
                "ONNX Runtime imports inside its session: " + rows);

        Path out = tmp.resolve("report");
        slimbench.report.Report.write(slimbench.report.Run.load(results), out);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("\n# TensorFlow\n") && md.contains("\n# ONNX Runtime\n"), md);
        String side = md.substring(md.indexOf("## Runtimes side by side"));
        // Like with like: cold totals and session + first inference, never the first inference alone.
        for (String measure : List.of("steady mean", "cold total", "session + first inference")) {
            assertTrue(side.lines().anyMatch(l -> l.matches("\\| mobilenet_v2 \\| fp32 \\| \\d+ \\| " + java.util.regex.Pattern.quote(measure)
                    + " \\| ONNX Runtime \\| .*") && l.contains(" (ahead) |")), measure + "\n" + side);
        }
        assertTrue(side.lines().noneMatch(l -> l.contains("| first inference |")), side);
        assertTrue(Files.isRegularFile(out.resolve("steady-state.png")), "one chart per metric, every runtime on it");
        String diff = new slimbench.report.Diff(slimbench.report.Run.load(results)).markdown();
        assertTrue(diff.contains("(tensorflow)") && diff.contains("(onnxruntime)"), "one run, its runtimes side by side: "
                + diff);

        Map<String, String> conditions = SuiteEndToEndTest.conditions(results.getParent());
        assertEquals("1.22.0", conditions.get("ort.version"));
        assertEquals("ALL_OPT", conditions.get("ort.optimization_level"));
        assertTrue(conditions.get("ort.intra_op_threads").startsWith("the cell's threads, [1]"), conditions.toString());
    }
}
