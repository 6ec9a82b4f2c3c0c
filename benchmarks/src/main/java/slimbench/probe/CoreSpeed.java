package slimbench.probe;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * How steady one core's speed is here: a fixed 128 x 128 float matmul (192 KiB, in the caches)
 * timed on one thread over and over for a window. On a virtual machine the host's other tenants take
 * cores from under it, and no process inside shows it ({@link MachineLoad} counts only this
 * machine's processes, and a hypervisor need not report steal time): a quiet VM's core can sit at
 * two speeds for tenths of a second to seconds at a time, the machine, not the matmul, moving
 * (docs/performance.md, "Figures the code's design rests on"). This spread is the floor below which
 * no two runs on this machine can be told apart. A window that falls inside one slow or fast spell
 * reads as steady (its p50 then says which); a run's readings at its start and end see more. Nothing
 * else is timed while it runs.
 *
 * @param p10Ms   the 10th percentile of the matmul's time
 * @param p50Ms   its median
 * @param p90Ms   its 90th percentile
 * @param samples matmuls timed
 * @param window  how long they were timed for
 */
public record CoreSpeed(double p10Ms, double p50Ms, double p90Ms, int samples, Duration window) {
    /** Long enough for a few of a host's swings (they come every second or so), short beside any run. */
    public static final Duration WINDOW = Duration.ofSeconds(1);

    /**
     * Above this spread (p90 over p10), a machine's own speed moves as much as a disturbed cell's does
     * ({@link MachineLoad#DISTURBED_SHARE}: others taking 10% of it).
     */
    public static final double UNSTEADY = MachineLoad.DISTURBED_SHARE;

    private static final int N = 128;
    /**
     * Calls before the window, or less where they take longer than {@link #WARMUP_NANOS} (an emulated
     * CPU is orders of magnitude slower): C2 compiles the loop inside the first call, whose 2 M iterations are far past
     * its thresholds.
     */
    private static final int WARMUPS = 50;
    private static final long WARMUP_NANOS = 250_000_000L;

    /** How much slower the slow tenth of the matmuls was than the fast tenth: 0.1 is 10%. */
    public double spread() {
        return p90Ms / p10Ms - 1;
    }

    public boolean unsteady() {
        return spread() > UNSTEADY;
    }

    /** {@code p10 0.604, p50 0.686, p90 0.804 ms (+33%) over 2 s, 2911 matmuls}. */
    public String describe() {
        return String.format(Locale.ROOT, "p10 %.3f, p50 %.3f, p90 %.3f ms (+%.0f%%) over %d s, %d matmuls", p10Ms,
                p50Ms, p90Ms, 100 * spread(), window.toSeconds(), samples);
    }

    /** Times the matmul for {@link #WINDOW}. */
    public static CoreSpeed measure() {
        return measure(WINDOW);
    }

    /** Times the matmul for {@code window}, after warming it up (outside the window). */
    public static CoreSpeed measure(Duration window) {
        float[] a = new float[N * N];
        float[] b = new float[N * N];
        float[] c = new float[N * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 7 - 3;
            b[i] = i % 5 - 2;
        }
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < WARMUPS && System.nanoTime() < warm; i++) {
            matmul(a, b, c);
        }
        long[] nanos = new long[1 << 12];
        int n = 0;
        long end = System.nanoTime() + window.toNanos();
        for (long t0 = System.nanoTime(); t0 < end; ) {
            matmul(a, b, c);
            long t1 = System.nanoTime();
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, 2 * n);
            }
            nanos[n++] = t1 - t0;
            t0 = t1;
        }
        if (c[N + 1] == Float.MIN_VALUE) { // never: keeps the products from being dead code
            throw new AssertionError(c[N + 1]);
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return new CoreSpeed(ms(sorted, 10), ms(sorted, 50), ms(sorted, 90), n, window);
    }

    private static double ms(long[] sorted, double pct) {
        return slimbench.stats.Percentiles.of(sorted, pct) / 1e6;
    }

    /** {@code c += a b}, row by row: the inner loop vectorises. */
    private static void matmul(float[] a, float[] b, float[] c) {
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < N; k++) {
                float x = a[i * N + k];
                for (int j = 0; j < N; j++) {
                    c[i * N + j] += x * b[k * N + j];
                }
            }
        }
    }
}
