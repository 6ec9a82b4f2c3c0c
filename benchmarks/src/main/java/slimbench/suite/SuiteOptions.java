package slimbench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a suite run needs, parsed once from the command line (or a preset) and passed down.
 *
 * @param coldForks      fresh JVMs per cold-start cell (one shot each)
 * @param steadyForks    JVMs per steady-state cell
 * @param warmups        steady-state warm-up iterations
 * @param iterations     steady-state measured iterations (each at least 100 inferences)
 * @param iterationTime  minimum length of a steady-state iteration
 * @param cellTimeout    hard wall-clock limit of a cell, loading included
 * @param memoryLimit    bytes the cell's process tree may hold resident, 0 for none
 * @param scale          {@code full}, {@code tiny} or {@code SIZE:WIDTH:CLASSES}
 * @param modelFile      a user's frozen graph instead of the zoo, or null
 * @param forkJvmArgs    extra JVM arguments of the benchmark forks (e.g. {@code -Xmx2g} on a Jetson)
 * @param probes         whether the memory profiler runs with every cell
 * @param retryFailed    whether a resumed run also re-runs its ERROR, TIMEOUT and KILLED cells
 */
public record SuiteOptions(String preset, List<String> models, List<String> variants, List<String> optimize,
                           List<Integer> threads, List<String> modes, int coldForks, int steadyForks, int warmups,
                           int iterations, Duration iterationTime, Duration cellTimeout, long memoryLimit,
                           String scale, Path cache, Path modelFile, String inputName, String outputName,
                           Path outputRoot, Path resume, List<String> forkJvmArgs, boolean probes,
                           boolean retryFailed) {

    /** The cells of the matrix, in the order they run: model by model, cold before steady. */
    public List<Cell> cells() {
        List<String> names = modelFile != null ? List.of(modelFile.getFileName().toString()) : models;
        java.util.ArrayList<Cell> cells = new java.util.ArrayList<>();
        for (String m : names) {
            for (String v : variants) {
                for (String o : optimize) {
                    for (int t : threads) {
                        for (String mode : modes) {
                            cells.add(new Cell(m, v, o, t, mode));
                        }
                    }
                }
            }
        }
        return cells;
    }
}
