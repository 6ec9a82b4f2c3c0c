package slimbench.bench;

import java.util.EnumMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;
import slimbench.engine.OneDnnIsa;
import slimbench.engine.ThreadSettings;
import slimbench.model.Precision;

/**
 * The host's peak matrix-multiply rate per precision, measured through TensorFlow itself (the same
 * kernels and thread pool the models use), so every steady-state cell can say what fraction of the
 * machine it reached. The peak is the best of several runs of one large square MatMul.
 */
public final class Roofline {
    private Roofline() {}

    /**
     * GFLOP/s (2 x MACs per second) of an n x n x n MatMul in each precision this process can run
     * ({@link OneDnnIsa#unrunnable}: a capped oneDNN would abort it), with {@code threads} intra-op threads.
     */
    public static Map<Precision, Double> measure(int n, int threads, int runs) {
        Map<Precision, Double> peak = new EnumMap<>(Precision.class);
        for (Precision p : Precision.values()) {
            if (OneDnnIsa.unrunnable(p).isPresent()) {
                continue;
            }
            peak.put(p, gflops(p, n, threads, runs));
        }
        return peak;
    }

    /**
     * Prints {@link #measure} for {@code n threads runs}, one {@code label gflops} line per precision, for a
     * process that needs the peaks of another thread count than its own pool's ({@code suite.PeakProcess}).
     */
    public static void main(String[] args) {
        measure(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]))
                .forEach((p, gflops) -> System.out.println(p.label() + " " + gflops));
    }

    /** The peaks {@link #main} printed. */
    public static Map<Precision, Double> parse(String printed) {
        Map<Precision, Double> peak = new EnumMap<>(Precision.class);
        for (String line : printed.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2) {
                for (Precision p : Precision.values()) {
                    if (p.label().equals(f[0])) {
                        peak.put(p, Double.parseDouble(f[1]));
                    }
                }
            }
        }
        if (peak.isEmpty()) {
            throw new IllegalArgumentException("no peaks in: " + printed);
        }
        return peak;
    }

    /** GFLOP/s of an n x n x n MatMul in one precision: the best of {@code runs} after two warm-ups. */
    public static double gflops(Precision p, int n, int threads, int runs) {
        return 2.0 * n * n * n / java.util.Arrays.stream(nanos(p, n, threads, runs)).min().orElseThrow();
    }

    /** The time of each of {@code runs} n x n x n MatMuls in one precision, in ns, after two warm-ups. */
    static long[] nanos(Precision p, int n, int threads, int runs) {
        float[] values = new float[n * n];
        long state = 42;
        for (int i = 0; i < values.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            values[i] = ((state >>> 40) * 0x1.0p-24f) - 0.5f;
        }
        ConfigProto config = ThreadSettings.config(threads).build();
        try (Graph g = new Graph(); Session s = new Session(g, config)) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> a = tf.constant(Shape.of(n, n), DataBuffers.of(values, true, false));
            Operand<? extends TNumber> x = switch (p) {
                case FP32 -> a;
                case FP16 -> tf.dtypes.cast(a, TFloat16.class);
                case BF16 -> tf.dtypes.cast(a, TBfloat16.class);
            };
            @SuppressWarnings({"unchecked", "rawtypes"})
            var product = tf.linalg.matMul((Operand) x, (Operand) x);
            for (int i = 0; i < 2; i++) { // warm-up: Grappler folds the casts, oneDNN picks its kernels
                s.runner().addTarget(product).run().close();
            }
            long[] times = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                s.runner().addTarget(product).run().close();
                times[i] = System.nanoTime() - t0;
            }
            return times;
        }
    }
}
