package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

/** The run says what it is about to do, and how long that should take, before the first cell. */
class PlanTest {
    private static SuiteOptions options() {
        return options(4, 300);
    }

    private static SuiteOptions options(int iterations, int cellTimeout) {
        return new SuiteOptions("quick", List.of(Model.MOBILENET_V1, Model.VGG_16), List.of(Variant.FP32, Variant.FP16),
                List.of(Optimize.AT_LOAD, Optimize.AHEAD), List.of(0), List.of(Mode.COLD, Mode.STEADY),
                List.of(Engine.DEFAULT), 3, 2, 1, iterations, Duration.ofSeconds(1), Duration.ofSeconds(cellTimeout), 0, Scale.FULL,
                Path.of("cache"), null, "input", "scores", Path.of("reports"), null, List.of(), false, false);
    }

    @Test
    void countsEachAxisAndEstimatesTheCellsStillToRun() {
        SuiteOptions o = options();
        List<CellSpec> cells = o.cells();
        Plan all = new Plan(cells, cells, o);
        List<String> lines = all.lines();
        assertEquals("matrix: by model: mobilenet_v1 8, vgg_16 8; by variant: fp16 8, fp32 8; "
                + "by optimize: ahead 8, at-load 8; by mode: cold 8, steady 8; by runtime: tensorflow 16", lines.get(0));
        // 8 cold cells x 3 forks x 8 s + 8 steady cells x 2 forks x (8 s + 5 x 1 s) = 192 + 208 s
        assertEquals(Duration.ofSeconds(400), all.estimate());
        assertTrue(lines.get(1).startsWith("estimate: 6m40s for the 16 cells to run"), lines.get(1));
        assertTrue(lines.get(1).contains("an estimate, not a measurement"), lines.get(1));
        List<CellSpec> steadyOnly = cells.stream().filter(c -> c.mode() == Mode.STEADY).toList();
        assertEquals(Duration.ofSeconds(208), new Plan(cells, steadyOnly, o).estimate(), "only what is left to run");
    }

    @Test
    void theWatchdogGivesEachForkTheCellTimeoutAndThePlanWarnsWhenOneForkCannotFit() {
        SuiteOptions o = options();
        CellSpec cold = o.cells().stream().filter(c -> c.mode() == Mode.COLD).findFirst().orElseThrow();
        CellSpec steady = o.cells().stream().filter(c -> c.mode() == Mode.STEADY).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(900), o.timeoutOf(cold), "3 cold forks");
        assertEquals(Duration.ofSeconds(600), o.timeoutOf(steady), "2 steady forks");
        assertEquals(2, new Plan(o.cells(), o.cells(), o).lines().size(), "no warning when a fork fits");
        // 8 s + (1 warm-up + 40 iterations) x 1 s = 49 s per fork, over a 30 s limit
        SuiteOptions tight = options(40, 30);
        List<String> lines = new Plan(tight.cells(), tight.cells(), tight).lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).startsWith("warning: a steady fork should take about 0m49s, more than the 30 s "
                + "--cell-timeout per fork"), lines.get(2));
    }
}
