package slimbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import slimbench.model.CellSpec;

/**
 * An engine timed by a tool of its own rather than in a JMH fork (TensorRT by its {@code trtexec}):
 * the cell process hands it the whole cell, and it gives back the figures JMH would have, which the
 * runner makes into the same rows.
 */
public interface SelfTimed {
    /**
     * How the runner measures a cell: where models are cached, forks, warm-up and measured
     * iterations and their length; where logs go, and the cell's name in them.
     */
    record Plan(Path cache, int forks, int warmups, int iterations, Duration iterationTime, Path logs, String name) {}

    /**
     * A cell's figures as JMH results, as a JMH run ends: the primary score, the secondary results
     * by label, and the primary figure of each fork (each process of the tool), which its interval is over.
     */
    record Figures(Result<?> primary, Map<String, Result<?>> secondary, double[] perFork) {}

    /**
     * Measures a cell; throws {@link UnsupportedOperationException} when it cannot run here and
     * {@link IllegalStateException} when the tool fails or its output is wrong, each with one line saying why.
     */
    Figures measure(CellSpec cell, Plan plan) throws IOException;

    /** What times the cells, for a reader: {@code trtexec (slimbench.tensorrt)}. */
    String tool();
}
