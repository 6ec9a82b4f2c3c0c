package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import slimbench.bench.Roofline;
import slimbench.model.Precision;

/** The runner's roofline peaks of a thread count, measured in a JVM of their own (its pool, its size). */
class PeakProcessTest {
    @Test
    void aChildMeasuresThePeaksAndTheRunnerReadsThem() {
        Map<Precision, Double> peaks = PeakProcess.child(256, 2, 2).orElseThrow();
        assertTrue(peaks.getOrDefault(Precision.FP32, 0.0) > 0, peaks.toString());
        assertEquals(Map.of(Precision.FP32, 12.5, Precision.BF16, 30.0), Roofline.parse("fp32 12.5\nbf16 30.0\n"));
    }
}
