package slimbench.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * A cell's JMH result over all its forks, and why it has that many: the cell runs its first forks,
 * then one more at a time while its interval ({@link ForkStats}) is wider than the target and one
 * more fork still fits in its budget; with fixed forks it runs those, as JMH would.
 *
 * @param result every fork's results as one JMH result (JMH's JSON then holds each fork's raw data)
 * @param ended  why no fork was added: the target met, the budget spent, or the count fixed
 */
record Measured(RunResult result, String ended) {

    /** Runs the cell's forks on {@code jmh} (everything but the fork count set) as {@code s} says. */
    static Measured run(ChainedOptionsBuilder jmh, CellMain.Settings s) throws RunnerException {
        List<BenchmarkResult> forks = new ArrayList<>();
        RunResult first = null;
        long start = System.nanoTime();
        int batch = s.forks();
        while (true) {
            RunResult r = only(new Runner(jmh.forks(batch).build()).run());
            first = first == null ? r : first;
            forks.addAll(r.getBenchmarkResults());
            RunResult all = new RunResult(first.getParams(), forks);
            ForkStats.Interval i = ForkStats.of(ForkStats.primary(forks));
            String at = Double.isFinite(i.relative())
                    ? String.format(Locale.ROOT, "±%.1f%% after %d forks", 100 * i.relative(), forks.size())
                    : forks.size() + " forks, no interval";
            if (s.fixedForks()) {
                return new Measured(all, "fixed at " + forks.size() + " forks (" + at + ")");
            }
            if (i.relative() <= s.target()) {
                return new Measured(all, String.format(Locale.ROOT, "target ±%.0f%% met: %s", 100 * s.target(), at));
            }
            long elapsed = System.nanoTime() - start;
            if (elapsed + elapsed / forks.size() > s.budget().toNanos()) {
                return new Measured(all, String.format(Locale.ROOT, "budget %d s spent: %s (target ±%.0f%%)",
                        s.budget().toSeconds(), at, 100 * s.target()));
            }
            batch = 1;
        }
    }

    private static RunResult only(Collection<RunResult> results) {
        if (results.size() != 1) {
            throw new IllegalStateException("JMH returned " + results.size() + " results for one cell");
        }
        return results.iterator().next();
    }
}
