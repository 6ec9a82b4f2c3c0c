package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import slimbench.model.Precision;
import slimbench.suite.Conditions;

/** The bf16/fp16 verdicts come from measured rates, beyond their measured spread, never from CPU flags. */
class PrecisionSpeedTest {
    private static final PrecisionSpeed.Rate FP32 = new PrecisionSpeed.Rate(100, 0.02);

    @Test
    void slowerBeyondTheSpreadIsSlower() {
        // AVX512-BF16 without AMX, as measured on the Xeon: bf16 behind fp32.
        String s = PrecisionSpeed.describe(Precision.BF16,
                Map.of(Precision.FP32, FP32, Precision.BF16, new PrecisionSpeed.Rate(40, 0.03)));
        assertEquals("0.40x fp32 (MatMul 512^3, 1 thread: 40.0 vs 100.0 GFLOP/s, run-to-run spread 3% and 2%): "
                + "expect bf16 slower than fp32", s);
    }

    @Test
    void fasterBeyondTheSpreadIsFaster() {
        String s = PrecisionSpeed.describe(Precision.BF16,
                Map.of(Precision.FP32, FP32, Precision.BF16, new PrecisionSpeed.Rate(250, 0.01)));
        assertTrue(s.startsWith("2.50x fp32") && s.endsWith("expect bf16 faster than fp32"), s);
    }

    @Test
    void aDifferenceWithinTheSpreadIsNoVerdict() {
        // 8% faster, but the two runs' spreads add to 10%: a shared machine, not the precision.
        String s = PrecisionSpeed.describe(Precision.FP16,
                Map.of(Precision.FP32, new PrecisionSpeed.Rate(100, 0.04), Precision.FP16, new PrecisionSpeed.Rate(108, 0.06)));
        assertTrue(s.endsWith("expect fp16 as fast as fp32 (within the spread)"), s);
        String slower = PrecisionSpeed.describe(Precision.FP16,
                Map.of(Precision.FP32, new PrecisionSpeed.Rate(100, 0.04), Precision.FP16, new PrecisionSpeed.Rate(92, 0.06)));
        assertTrue(slower.endsWith("(within the spread)"), slower);
    }

    @Test
    void anUnmeasuredPrecisionSaysSo() {
        assertTrue(PrecisionSpeed.describe(Precision.BF16, Map.of(Precision.FP32, FP32)).startsWith("not measured: "));
    }

    @Test
    void doctorsVerdictIsTheMeasurementWhateverTheFlags() {
        String measured = PrecisionSpeed.describe(Precision.BF16,
                Map.of(Precision.FP32, FP32, Precision.BF16, new PrecisionSpeed.Rate(40, 0.03)));
        var lines = Conditions.verdicts(Map.of(PrecisionSpeed.key(Precision.BF16), measured, "tf.native", "linux-x86_64"));
        String bf16 = lines.stream().filter(l -> l.startsWith("bf16:")).findFirst().orElseThrow();
        assertTrue(bf16.startsWith("bf16:      " + measured + "; instructions: "), bf16);
        String fp16 = lines.stream().filter(l -> l.startsWith("fp16:")).findFirst().orElseThrow();
        assertTrue(fp16.startsWith("fp16:      not measured; instructions: "), fp16);
    }

    @Test
    void measuresEachRunnablePrecisionQuickly() {
        long t0 = System.nanoTime();
        Map<Precision, PrecisionSpeed.Rate> rates = PrecisionSpeed.measure();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(rates.containsKey(Precision.FP32), rates.toString());
        rates.values().forEach(r -> assertTrue(r.gflops() > 0 && r.spread() >= 0, r.toString()));
        System.out.println("outcome precision speeds in " + String.format("%.1f", seconds) + " s: "
                + PrecisionSpeed.describe(Precision.FP16, rates) + " | " + PrecisionSpeed.describe(Precision.BF16, rates));
        assertTrue(seconds < 20, "doctor stays quick: " + seconds + " s");
    }
}
