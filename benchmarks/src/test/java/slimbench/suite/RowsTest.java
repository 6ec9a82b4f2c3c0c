package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.probe.MachineLoad;

/** Figures another tool measured become the rows JMH's would: one mechanism for both. */
class RowsTest {
    private static final Cell CELL = new Cell(Model.MOBILENET_V1, Variant.FP16, Optimize.AHEAD, 2, Mode.COLD,
            Engine.TENSORRT);

    @Test
    void handedOverFiguresGiveThePrimaryItsIntervalTheForksAndTheMachine() {
        Map<String, Result<?>> secondary = new LinkedHashMap<>();
        secondary.put("phase.session", new ScalarResult("phase.session", 40, "ms/op", AggregationPolicy.AVG));
        double[] perFork = {100, 110, 90};
        List<ResultRow> rows = Rows.of(CELL, new ScalarResult("total", 100, "ms/op", AggregationPolicy.AVG), secondary,
                perFork, Optional.of(new MachineLoad.Share(0.1, 2, 0.5)));

        assertEquals(List.of("total", "session", "forks", "load.others", "load.avg"),
                rows.stream().map(ResultRow::metric).toList());
        ResultRow total = rows.get(0);
        assertEquals(ForkStats.of(perFork).halfWidth(), total.error(), 1e-12);
        assertEquals("ms", total.unit());
        assertTrue(Double.isNaN(rows.get(1).error()), "a secondary handed over has no interval");
        assertEquals("fixed at 3 forks (one trtexec process each)", rows.get(2).message());
        assertEquals(0.5, rows.get(4).score());
        assertTrue(rows.stream().allMatch(r -> r.cell().equals(CELL) && r.forks() == 3 && r.pressure().isEmpty()));
    }

    @Test
    void othersTakingTheMachineMarkEveryRowDisturbed() {
        List<ResultRow> rows = Rows.of(CELL, new ScalarResult("total", 100, "ms/op", AggregationPolicy.AVG), Map.of(),
                new double[] {100}, Optional.of(new MachineLoad.Share(1.5, 2, 2)));
        assertTrue(rows.stream().allMatch(r -> r.pressure().equals("disturbed")), rows.toString());
        assertEquals(CellMetric.FORKS.label(), rows.get(1).metric());
    }
}
