package slimbench.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import slimbench.bench.ThreadChoice;
import slimbench.model.CellSpec;
import slimbench.model.Mode;
import slimbench.model.ModelFiles;
import slimbench.model.Precision;

/**
 * What a run is about to do, said before it starts: how many cells by model, variant, optimize and
 * mode, and an estimate of how long the cells still to run take. A cell is estimated at its budget
 * (a cell that meets its target sooner takes less), or at its first forks when they take longer.
 * A fork is an assumed start-up, the model's load, and, steady, its checks and iterations, each
 * iteration its set time or one inference if that is longer; a steady cell with a thread budget
 * adds its thread probes, and a model not yet generated its generation. One inference is the
 * model's work at an assumed fraction of the MatMul peak the runner measured at its start. The
 * runner's ETA after each cell is measured; this is not.
 *
 * @param peaks GFLOP/s of the runner's MatMul by thread count and precision (empty: none measured)
 */
record Plan(List<CellSpec> cells, List<CellSpec> todo, SuiteOptions options, Map<Integer, Map<Precision, Double>> peaks) {
    /**
     * Assumed: a fork's JVM start with the engine's natives loaded and JMH's harness up, before
     * the model; docs/performance.md sets a whole estimate beside the time it took.
     */
    static final Duration FORK_START = Duration.ofMillis(1500);
    /** Assumed: how fast a fork reads and loads a model's bytes, a cold read included. */
    static final double LOAD_BYTES_PER_SECOND = 400e6;
    /** Assumed: how fast the runner generates a model's file that is not in the cache yet. */
    static final double GENERATE_BYTES_PER_SECOND = 250e6;
    /** Assumed: the fraction of the measured MatMul peak a model's inference reaches. */
    static final double PEAK_FRACTION = 0.5;
    /** The inferences a steady fork runs before its iterations: the output check and the accuracy guard. */
    static final int CHECK_INFERENCES = 2;

    Plan(List<CellSpec> cells, List<CellSpec> todo, SuiteOptions options) {
        this(cells, todo, options, Map.of());
    }

    /** The lines to print: the matrix, the counts along each axis, the estimate. */
    List<String> lines() {
        return lines(estimate());
    }

    /** The same, with the estimate the caller already has. */
    List<String> lines(Duration estimate) {
        String counts = "by model: " + count(c -> c.name()) + "; by variant: " + count(c -> c.variant().label())
                + "; by optimize: " + count(c -> c.optimize().label()) + "; by mode: " + count(c -> c.mode().label())
                + "; by runtime: " + count(c -> c.runtime().label());
        String forks = options.fixedForks()
                ? String.format(Locale.ROOT, "cold: %d fork(s) each; steady: %d fork(s) of %d x %d ms iterations each",
                        options.coldForks(), options.steadyForks(), options.warmups() + options.iterations(),
                        options.iterationTime().toMillis())
                : String.format(Locale.ROOT, "each cell %d forks or more, up to its budget: cold %d s, steady %d s",
                        options.steadyForks(), options.coldBudget().toSeconds(), options.steadyBudget().toSeconds());
        List<String> lines = new ArrayList<>(List.of("matrix: " + counts, String.format(Locale.ROOT,
                "estimate: %s for the %d cells to run (%s; assumed %.1f s to start a fork: an estimate, not a measurement)",
                format(estimate), todo.size(), forks, FORK_START.toMillis() / 1000.0)));
        todo.stream().filter(c -> c.mode() == Mode.STEADY).map(this::fork).max(Duration::compareTo)
                .filter(fork -> fork.compareTo(options.cellTimeout()) > 0)
                .ifPresent(fork -> lines.add(String.format(Locale.ROOT, "warning: a steady fork should take about %s, "
                        + "more than the %d s --cell-timeout per fork: its cells will end as TIMEOUT; raise "
                        + "--cell-timeout or lower --iterations", format(fork), options.cellTimeout().toSeconds())));
        return lines;
    }

    /** One fork of a cell: its start, its model's load, and its first inference or, steady, its checks and iterations. */
    Duration fork(CellSpec c) {
        Duration f = FORK_START.plus(load(c));
        Duration inference = inference(c, c.threads());
        if (c.mode() == Mode.COLD) {
            return f.plus(inference);
        }
        Duration iteration = inference.compareTo(options.iterationTime()) > 0 ? inference : options.iterationTime();
        return f.plus(inference.multipliedBy(CHECK_INFERENCES))
                .plus(iteration.multipliedBy(options.warmups() + options.iterations()));
    }

    /** One inference of a zoo model at its precision on {@code threads}, from its MACs and the peak; zero if unknown. */
    Duration inference(CellSpec c, int threads) {
        Double peak = peaks.getOrDefault(threads, Map.of()).get(c.variant().precision());
        if (peak == null) { // a count the runner measured no peak on: the nearest measured count's, scaled
            peak = peaks.entrySet().stream().filter(e -> e.getValue().containsKey(c.variant().precision()))
                    .min(java.util.Comparator.comparingInt(e -> Math.abs(e.getKey() - threads)))
                    .map(e -> e.getValue().get(c.variant().precision()) * threads / Math.max(1, e.getKey()))
                    .orElse(null);
        }
        if (c.model() == null || peak == null || peak <= 0) {
            return Duration.ZERO;
        }
        double seconds = 2.0 * c.model().describe(c.scale()).macs() / (peak * 1e9 * PEAK_FRACTION);
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private Duration load(CellSpec c) {
        return Duration.ofMillis((long) (1000 * modelBytes(c) / LOAD_BYTES_PER_SECOND));
    }

    /** The cells still to run, and the files they need that are not generated yet. */
    Duration estimate() {
        Duration total = Duration.ZERO;
        java.util.Set<Path> generated = new java.util.HashSet<>();
        for (CellSpec c : todo) {
            if (c.model() != null) {
                Path file = ModelFiles.frozenPath(options.cache(), c.model(), c.variant().precision(), c.optimize(),
                        c.scale(), 1);
                if (generated.add(file) && !Files.exists(file)) {
                    total = total.plus(Duration.ofMillis((long) (1000 * modelBytes(c) / GENERATE_BYTES_PER_SECOND)));
                }
            }
            boolean cold = c.mode() == Mode.COLD;
            Duration first = fork(c).multipliedBy(cold ? options.coldForks() : options.steadyForks());
            Duration cell = options.fixedForks() || first.compareTo(options.budgetOf(c)) > 0 ? first : options.budgetOf(c);
            if (!cold && options.chooseThreads() && ThreadChoice.chooses(c.threads())) { // each probe a JVM that loads the model
                for (int count : ThreadChoice.candidates(c.threads())) {
                    Duration probe = FORK_START.plus(load(c)).plus(inference(c, count).multipliedBy(ThreadChoice.inferences(inference(c, count))));
                    cell = cell.plus(probe.multipliedBy(ThreadChoice.ROUNDS));
                }
            }
            total = total.plus(cell);
        }
        return total;
    }

    /** The bytes a cell's forks load: the zoo model's parameters at its precision, or the user's file. */
    private double modelBytes(CellSpec c) {
        if (c.model() == null) {
            try {
                return ModelFiles.totalBytes(c.modelFile());
            } catch (java.io.IOException e) {
                return 0;
            }
        }
        return (double) c.model().describe(c.scale()).parameters() * c.variant().precision().bytes();
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
