package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import slimbench.model.Precision;

class RooflineTest {
    @Test
    void measuresAPeakForEveryPrecision() {
        Map<Precision, Double> peak = Roofline.measure(128, 1, 3);
        assertEquals(Precision.values().length, peak.size());
        // A 128-cube MatMul is 4.2 MFLOP: any working kernel does it at well over 0.1 GFLOP/s, and no
        // machine at 10 TFLOP/s on one thread.
        peak.forEach((p, g) -> assertTrue(g > 0.1 && g < 10_000, p + ": " + g + " GFLOP/s"));
    }
}
