package slimbench.engine;

import java.util.Map;
import org.tensorflow.proto.ConfigProto;

/**
 * How TensorFlow's threads are set for every session the suite makes, chosen from measurements
 * on a 2-core machine (docs/methodology.md, threads):
 *
 * <ul>
 *   <li>Intra-op threads are the cell's {@code threads} (0: TensorFlow uses every core), so the
 *       {@code threads} axis sweeps them; inter-op is 1, since a batch-1 graph of one chain has no
 *       independent ops to run beside each other and a second pool would only compete for cores.
 *   <li>{@value #OWN_POOL}: without it TensorFlow makes one intra-op pool per process, sized by the
 *       first session, and every later session runs on it whatever it asks: the cold cell's empty
 *       graph (at every core) decided the model's threads, and a second thread count measured in
 *       the same process (the runner's roofline) ran on the first one's pool. Set in the cells'
 *       environment (it must be there before TensorFlow loads).
 *   <li>oneDNN runs on that pool: TensorFlow Java's natives are built with oneDNN's threadpool
 *       runtime and link no OpenMP library, so {@code OMP_NUM_THREADS} and the {@code KMP_*}
 *       settings change nothing; letting oneDNN use the calling thread too
 *       ({@code TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD}) was not faster at 2 threads, and is off.
 *   <li>None of these keeps 2 threads from being slower than 1 on a model of small kernels
 *       (mobilenet_v2): a steady cell measures the counts within its budget ({@link ThreadChoice}).
 * </ul>
 */
public final class ThreadSettings {
    /** {@code =1} in the environment runs every cell at exactly its thread budget, no counts probed. */
    public static final String EXACT = "SLIMBENCH_EXACT_THREADS";
    /** Makes each session's intra-op pool its own, of the size it asks for. */
    public static final String OWN_POOL = "TF_OVERRIDE_GLOBAL_THREADPOOL";

    /** The environment every cell process (and so its JMH forks) gets, unless the user set it. */
    public static final Map<String, String> ENV = Map.of(OWN_POOL, "1");

    private ThreadSettings() {}

    /** Session options with {@code threads} intra-op threads (0: every core) and one inter-op thread. */
    public static ConfigProto.Builder config(int threads) {
        return ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1);
    }

    /** The settings as {@code conditions.csv} and {@code doctor} record them, for this process's environment. */
    public static String describe(Map<String, String> env) {
        return "intra-op = the cell's threads (0 = every core), inter-op = 1; " + OWN_POOL + "="
                + env.getOrDefault(OWN_POOL, "unset") + " in this process, " + ENV.get(OWN_POOL)
                + " in the cells' (one pool per session, of its own size); oneDNN on TensorFlow's pool "
                + "(no OpenMP linked: OMP_* unused); with --choose-threads a steady cell with threads > 1 runs on the "
                + "fastest count within them, each timed in its own JVM (ThreadChoice, column threads_used)"
                + ("1".equals(env.get(EXACT)) ? ", but " + EXACT + "=1: exactly its threads" : "");
    }
}
