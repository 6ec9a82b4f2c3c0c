package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoreSpeedTest {
    @Test
    void timesTheMatmulForTheWindowAndOrdersItsPercentiles() {
        long t0 = System.nanoTime();
        CoreSpeed c = CoreSpeed.measure(Duration.ofMillis(300));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(c.samples() > 10, c.toString());
        assertTrue(0 < c.p10Ms() && c.p10Ms() <= c.p50Ms() && c.p50Ms() <= c.p90Ms(), c.toString());
        // 2 M multiply-adds take far less than the window: the window, not the count, sets the time.
        assertTrue(c.samples() * c.p10Ms() <= 300 + c.p90Ms(), c.toString());
        assertTrue(ms >= 300, ms + " ms");
    }

    @Test
    void theSpreadIsTheSlowTenthOverTheFastTenth() {
        CoreSpeed c = new CoreSpeed(0.5, 0.55, 0.6, 100, Duration.ofSeconds(1));
        assertEquals(0.2, c.spread(), 1e-12);
        assertTrue(c.unsteady());
        assertFalse(new CoreSpeed(0.5, 0.52, 0.54, 100, Duration.ofSeconds(1)).unsteady());
        assertEquals("p10 0.500, p50 0.550, p90 0.600 ms (+20%) over 1 s, 100 matmuls", c.describe());
    }
}
