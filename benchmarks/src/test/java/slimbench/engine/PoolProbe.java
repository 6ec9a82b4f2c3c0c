package slimbench.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Run in a JVM of its own ({@link ThreadSettingsTest}): a MatMul in a session of 1 intra-op thread,
 * then in one of 4, printing how many threads the second added to the process.
 */
public final class PoolProbe {
    private PoolProbe() {}

    public static void main(String[] args) throws Exception {
        run(1);
        long before = threads();
        run(4);
        System.out.println(threads() - before);
    }

    private static void run(int intraOp) {
        Graph g = new Graph(); // left open: the pool lives as long as the session
        Session s = new Session(g, ThreadSettings.config(intraOp).build());
        Ops tf = Ops.create(g);
        var x = tf.random.randomUniform(tf.constant(new int[] {256, 256}), TFloat32.class);
        var y = tf.linalg.matMul(x, x);
        for (int i = 0; i < 3; i++) {
            s.runner().addTarget(y).run().close();
        }
    }

    private static long threads() throws Exception {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.count();
        }
    }
}
