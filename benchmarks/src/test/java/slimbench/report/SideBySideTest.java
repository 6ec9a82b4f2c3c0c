package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

/**
 * The runtimes of one run compared like with like: the cold start by {@code total} and by session +
 * first inference, never by the first inference alone; cells matched by the threads that ran.
 */
class SideBySideTest {
    private static ResultRow row(String runtime, String optimize, int threads, String mode, String metric, double score,
                                 double error) {
        return new ResultRow(new Cell(Model.MOBILENET_V2, Variant.FP32, Optimize.of(optimize), threads, Mode.of(mode), Engine.of(runtime)), metric, score, error, "ms",
                3, Status.OK, "", "none");
    }

    /** TensorFlow optimises at its first run, ONNX Runtime in its session: 0.08 on first inference, 0.24 on total. */
    private static Run run() {
        return new Run("r", Path.of("r.csv"), List.of(
                row("tensorflow", "ahead", 2, "cold", "total", 100, Double.NaN),
                row("tensorflow", "ahead", 2, "cold", "session", 5, Double.NaN),
                row("tensorflow", "ahead", 2, "cold", "first_inference", 50, Double.NaN),
                row("onnxruntime", "ahead", 2, "cold", "total", 24, Double.NaN),
                row("onnxruntime", "ahead", 2, "cold", "session", 15, Double.NaN),
                row("onnxruntime", "ahead", 2, "cold", "first_inference", 4, Double.NaN),
                row("tensorflow", "ahead", 2, "steady", "avg", 4, 0.1),
                row("onnxruntime", "ahead", 2, "steady", "avg", 2, 0.1),
                // a steady cell TensorFlow ran on 1 thread and ONNX Runtime on 2: not like cells
                row("tensorflow", "at-load", 1, "steady", "avg", 5, 0.1)),
                Map.of("suite.steady_forks", "3", "suite.cold_forks", "1"), List.of());
    }

    @Test
    void coldStartIsComparedByTotalAndBySessionPlusFirstInference() {
        List<Runtimes.Pair> pairs = Runtimes.pairs(run());
        assertEquals(List.of(Runtimes.Measure.COLD_TOTAL, Runtimes.Measure.COLD_SESSION_FIRST, Runtimes.Measure.STEADY_MEAN),
                pairs.stream().map(Runtimes.Pair::measure).toList());
        assertEquals(0.24, pairs.get(0).ratio(), 1e-9);
        assertEquals(19.0 / 55, pairs.get(1).ratio(), 1e-9);
        assertEquals(0.5, pairs.get(2).ratio(), 1e-9);

        String md = Runtimes.sideBySide(run());
        assertTrue(md.contains("| mobilenet_v2 | fp32 | 2 | cold total | ONNX Runtime | 100 (ahead) | 24 | 0.24 | indicative |"), md);
        assertTrue(md.contains("| mobilenet_v2 | fp32 | 2 | session + first inference | ONNX Runtime | 55 (ahead) | 19 | 0.35 | "
                + "indicative |"), md);
        assertTrue(md.contains("| mobilenet_v2 | fp32 | 2 | steady mean | ONNX Runtime | 4 (ahead) | 2 | 0.50 | beyond error |"), md);
        assertFalse(md.contains("| first inference |"), "the first inference alone is never set against another runtime's");
        assertTrue(md.contains("TensorFlow defers graph optimisation to its first run"), md);
        assertFalse(md.contains("| 5 (at-load) |"), "a 1-thread cell is not set against a 2-thread one:\n" + md);
    }
}
