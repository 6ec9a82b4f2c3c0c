package slimbench.bench;

import slimbench.engine.Roofline;
import slimbench.stats.Percentiles;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import slimbench.engine.OneDnnIsa;
import slimbench.model.Precision;

/**
 * Whether fp16 and bf16 are faster than fp32 on this machine, measured, not read from CPU flags:
 * AVX512-BF16 without AMX, for one, runs TensorFlow's bf16 slower than fp32 although the flag says
 * "bf16". A short MatMul of each precision through the {@link Roofline}'s code (the models' own
 * kernels), on one thread so a shared machine disturbs it least, a second or two for all three.
 *
 * <p>The verdict says "faster" or "slower" only beyond the measured run-to-run spread of both
 * sides, so a noisy machine gives "as fast, within the spread", never a guess.
 */
public final class PrecisionSpeed {
    /** Small enough for {@code doctor} to stay quick even where a precision is emulated, large enough to time. */
    static final int N = 512;
    static final int RUNS = 5;

    /** A precision's MatMul rate at its best run (GFLOP/s) and its spread: (median - best) / best of the run times. */
    public record Rate(double gflops, double spread) {
        static Rate of(long[] nanos) {
            long best = Arrays.stream(nanos).min().orElseThrow();
            return new Rate(2.0 * N * N * N / best, (Percentiles.median(nanos) - best) / best);
        }
    }

    private PrecisionSpeed() {}

    /** Each precision this process can run (a capped oneDNN would abort the others), measured now. */
    public static Map<Precision, Rate> measure() {
        Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) {
            if (OneDnnIsa.unrunnable(p).isEmpty()) {
                try {
                    rates.put(p, Rate.of(Roofline.nanos(p, N, 1, RUNS)));
                } catch (RuntimeException e) {
                    // a runtime without this precision's MatMul: described as not measured
                }
            }
        }
        return rates;
    }

    /**
     * {@code p} against fp32 in one line, for conditions and {@code doctor}: the ratio, the rates
     * and spreads it comes from, and the verdict; or why {@code p} was not measured.
     */
    public static String describe(Precision p, Map<Precision, Rate> rates) {
        Rate fp32 = rates.get(Precision.FP32);
        Rate r = rates.get(p);
        if (r == null || fp32 == null) {
            return "not measured: " + OneDnnIsa.unrunnable(p).orElse(fp32 == null ? "no fp32 rate to compare with"
                    : "its MatMul did not run in this TensorFlow");
        }
        double ratio = r.gflops() / fp32.gflops();
        double margin = r.spread() + fp32.spread();
        String verdict = ratio > 1 + margin ? "expect " + p.label() + " faster than fp32"
                : ratio < 1 / (1 + margin) ? "expect " + p.label() + " slower than fp32"
                : "expect " + p.label() + " as fast as fp32 (within the spread)";
        return String.format(Locale.ROOT, "%.2fx fp32 (MatMul %d^3, 1 thread: %.1f vs %.1f GFLOP/s, run-to-run "
                + "spread %.0f%% and %.0f%%): %s", ratio, N, r.gflops(), fp32.gflops(), 100 * r.spread(),
                100 * fp32.spread(), verdict);
    }

    /** The conditions key of {@code p}'s measured speed against fp32. */
    public static String key(Precision p) {
        return "precision." + p.label() + ".vs_fp32";
    }
}
