package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PressureTest {

    /** A Nano's MemTotal in MiB: 10% of it (396 MiB) is above the 256 MiB floor. */
    private static final double NANO_TOTAL = 3964.56;

    @Test
    void plentyOfMemoryAndNoSwapTrafficIsNone() {
        assertEquals(Pressure.NONE, Pressure.judge(Map.of("mem.avail.min", 1024.0, "mem.total", NANO_TOTAL,
            "mem.swap.in", 0.0, "mem.swap.out", 0.0, "mem.swap.used.max", 400.0)),
            "swap that merely holds old pages is not pressure");
    }

    @Test
    void availableUnderTenPercentOfTotalIsLowMemory() {
        assertEquals(Pressure.LOW_MEMORY, Pressure.judge(Map.of("mem.avail.min", 390.0, "mem.total", NANO_TOTAL)));
        assertEquals(Pressure.NONE, Pressure.judge(Map.of("mem.avail.min", 400.0, "mem.total", NANO_TOTAL)));
    }

    @Test
    void theMiBFloorAppliesOnSmallMachinesAndWithoutTotal() {
        assertEquals(Pressure.LOW_MEMORY, Pressure.judge(Map.of("mem.avail.min", 200.0, "mem.total", 1024.0)));
        assertEquals(Pressure.LOW_MEMORY, Pressure.judge(Map.of("mem.avail.min", 255.0)));
        assertEquals(Pressure.NONE, Pressure.judge(Map.of("mem.avail.min", 300.0)));
    }

    @Test
    void swapTrafficDuringTheIterationIsSwap() {
        assertEquals(Pressure.SWAP, Pressure.judge(Map.of("mem.swap.out", 12.0)));
        assertEquals(Pressure.SWAP, Pressure.judge(Map.of("mem.swap.in", 0.5, "mem.avail.min", 300.0, "mem.total", NANO_TOTAL)),
            "swap outranks low memory");
    }

    @Test
    void nearlyNoAvailableMemoryIsOomRisk() {
        assertEquals(Pressure.OOM_RISK, Pressure.judge(Map.of("mem.avail.min", 100.0, "mem.total", NANO_TOTAL,
            "mem.swap.out", 5000.0)));
        assertEquals(Pressure.OOM_RISK, Pressure.judge(Map.of("mem.avail.min", 60.0)));
    }

    @Test
    void nothingMeasuredIsNone() {
        assertEquals(Pressure.NONE, Pressure.judge(Map.of()));
    }

    @Test
    void codesAndWordsRoundTrip() {
        for (Pressure p : Pressure.values()) {
            assertEquals(p, Pressure.fromCode(p.code()));
            assertEquals(p, Pressure.fromWord(p.word()));
        }
        assertEquals("low-memory", Pressure.fromCode(1.0).word());
        assertEquals(Pressure.OOM_RISK, Pressure.fromCode(7));
        assertEquals(Pressure.NONE, Pressure.fromCode(Double.NaN));
        assertEquals(Pressure.NONE, Pressure.fromWord("bogus"));
    }
}
