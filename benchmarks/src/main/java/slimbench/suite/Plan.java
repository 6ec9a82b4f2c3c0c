package slimbench.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import slimbench.model.CellSpec;
import slimbench.model.Mode;

/**
 * What a run is about to do, said before it starts: how many cells by model, variant, optimize and
 * mode, and an estimate of how long the cells still to run take. The estimate is the preset's
 * measured time (warm-up and measured iterations of their minimum length, per fork) plus an
 * assumed per-fork overhead; the runner's ETA after each cell is measured, this is not.
 */
record Plan(List<CellSpec> cells, List<CellSpec> todo, SuiteOptions options) {
    /**
     * Assumed, not measured: a fork's JVM start, TensorFlow's native load, the model's load and the
     * setup's warm-up inferences. Small models on a desktop take less, full-size ones on a Jetson more.
     */
    static final Duration FORK_OVERHEAD = Duration.ofSeconds(8);

    /** The lines to print: the matrix, the counts along each axis, the estimate. */
    List<String> lines() {
        String counts = "by model: " + count(c -> c.name()) + "; by variant: " + count(c -> c.variant().label())
                + "; by optimize: " + count(c -> c.optimize().label()) + "; by mode: " + count(c -> c.mode().label())
                + "; by runtime: " + count(c -> c.runtime().label());
        List<String> lines = new ArrayList<>(List.of("matrix: " + counts, String.format(Locale.ROOT,
                "estimate: %s for the %d cells to run (cold: %d fork(s) each; steady: %d fork(s) of %d x %d ms "
                        + "iterations each; assumed %d s per fork to start the JVM and load TensorFlow and the "
                        + "model: an estimate, not a measurement)",
                format(estimate()), todo.size(), options.coldForks(), options.steadyForks(),
                options.warmups() + options.iterations(), options.iterationTime().toMillis(),
                FORK_OVERHEAD.toSeconds())));
        Duration fork = steadyFork();
        if (fork.compareTo(options.cellTimeout()) > 0) {
            lines.add(String.format(Locale.ROOT, "warning: a steady fork should take about %s, more than the %d s "
                    + "--cell-timeout per fork: its cells will end as TIMEOUT; raise --cell-timeout or lower "
                    + "--iterations", format(fork), options.cellTimeout().toSeconds()));
        }
        return lines;
    }

    private Duration steadyFork() {
        return FORK_OVERHEAD.plus(options.iterationTime().multipliedBy(options.warmups() + options.iterations()));
    }

    /** The cells still to run, each fork an overhead plus, steady, its iterations' minimum time. */
    Duration estimate() {
        Duration steadyFork = steadyFork();
        Duration total = Duration.ZERO;
        for (CellSpec c : todo) {
            total = total.plus(c.mode() == Mode.COLD ? FORK_OVERHEAD.multipliedBy(options.coldForks())
                    : steadyFork.multipliedBy(options.steadyForks()));
        }
        return total;
    }

    private String count(Function<CellSpec, String> axis) {
        Map<String, Long> n = cells.stream().collect(Collectors.groupingBy(axis, TreeMap::new, Collectors.counting()));
        return n.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
