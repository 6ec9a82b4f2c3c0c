package slimbench.engine;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
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
import slimbench.model.RecordCodec;

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

    /** What a peak process is asked: {@link #measure}'s arguments. */
    public record Job(int n, int threads, int runs) {}

    /**
     * What a peak process answers, through the codec: GFLOP/s per precision, NaN where this host
     * cannot run it. One component per {@link Precision}, so a new precision fails to compile in
     * {@link #of} until it crosses too.
     */
    public record Peaks(double fp32, double fp16, double bf16) {
        static Peaks of(Map<Precision, Double> peak) {
            return new Peaks(peak.getOrDefault(Precision.FP32, Double.NaN),
                    peak.getOrDefault(Precision.FP16, Double.NaN), peak.getOrDefault(Precision.BF16, Double.NaN));
        }

        /** The precisions measured, as {@link #measure} returns them. */
        public Map<Precision, Double> map() {
            Map<Precision, Double> peak = new EnumMap<>(Precision.class);
            for (Precision p : Precision.values()) {
                double g = switch (p) {
                    case FP32 -> fp32;
                    case FP16 -> fp16;
                    case BF16 -> bf16;
                };
                if (!Double.isNaN(g)) {
                    peak.put(p, g);
                }
            }
            if (peak.isEmpty()) {
                throw new IllegalArgumentException("the peak process measured no precision");
            }
            return peak;
        }
    }

    /** The argument that names the file a peak process writes its {@link Peaks} to. */
    public static final String ANSWER = "answer";

    /**
     * A peak process, for a runner that needs the peaks of another thread count than its own
     * pool's ({@code suite.PeakProcess}): {@code name=value} arguments of a {@link Job} and
     * {@value #ANSWER}; writes {@link #measure}'s {@link Peaks} there.
     */
    public static void main(String[] argv) throws java.io.IOException {
        Map<String, String> a = RecordCodec.parseArguments(List.of(argv));
        Job job = RecordCodec.decode(Job.class, a);
        String answer = a.get(ANSWER);
        if (answer == null) {
            throw new IllegalArgumentException("no " + ANSWER + "=FILE for the peaks");
        }
        RecordCodec.write(Path.of(answer), Peaks.of(measure(job.n(), job.threads(), job.runs())));
    }

    /** GFLOP/s of an n x n x n MatMul in one precision: the best of {@code runs} after two warm-ups. */
    public static double gflops(Precision p, int n, int threads, int runs) {
        return 2.0 * n * n * n / java.util.Arrays.stream(nanos(p, n, threads, runs)).min().orElseThrow();
    }

    /** The time of each of {@code runs} n x n x n MatMuls in one precision, in ns, after two warm-ups. */
    public static long[] nanos(Precision p, int n, int threads, int runs) {
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
