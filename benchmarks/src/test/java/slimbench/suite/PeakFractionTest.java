package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/** A fraction of the measured peak above 100% cannot be true, so it is never recorded as OK. */
class PeakFractionTest {
    private static final Cell CELL = new Cell(Model.VGG_16, Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY);
    private static final ResultRow AVG = new ResultRow(new Cell(Model.VGG_16, Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY), "avg", 400,
            1, "ms", 3, Status.OK, "", "none");

    @Test
    void withinThePeakIsOk() {
        ResultRow r = DerivedMetrics.peakFraction(CELL, AVG, 40, 391);
        assertEquals(Status.OK, r.status());
        assertEquals(100 * 40 / 391.0, r.score(), 1e-9);
        assertEquals("peak 391.0 GFLOP/s", r.message());
    }

    @Test
    void aboveThePeakIsInvalidAndSaysWhy() {
        // The case: a peak of 27.9 GFLOP/s measured on a busy machine, a cell at 318% of it.
        ResultRow r = DerivedMetrics.peakFraction(CELL, AVG, 88.7, 27.9);
        assertEquals(Status.INVALID, r.status());
        assertTrue(r.score() > 100, r.toString());
        assertTrue(r.message().contains("27.9 GFLOP/s") && r.message().contains("busy"), r.message());
    }
}
