package slimbench.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import slimbench.bench.Breakdown;
import slimbench.bench.LatencyResult;
import slimbench.stats.Percentiles;
import slimbench.bench.ThreadChoice;
import slimbench.model.CellMetric;
import slimbench.model.FileCachePolicy;
import slimbench.model.Mode;
import slimbench.probe.CoreSpeed;
import slimbench.probe.MachineLoad;

/**
 * A measured cell's JMH result as results rows: the primary figure and each secondary under its
 * metric name, with intervals over forks ({@link ForkStats}: NaN below three forks), the
 * percentiles over every measured inference with upper bounds, how many forks and why, and the
 * machine's state over the measured iterations only: other processes' load and one core's speed
 * ({@link Breakdown} samples both after each), which mark the cell disturbed, as a trend across its
 * iterations marks it drifting.
 */
final class Rows {
    /** Past this percent of the model's bytes cached at the shot's start, a cold shot is not called cold. */
    static final double COLD_RESIDENT_PERCENT = 5;
    /** The confidence of a percentile's upper bound. */
    static final double BOUND_CONFIDENCE = 0.95;

    private Rows() {}

    /** A measured cell's rows, from its JMH forks. */
    static List<ResultRow> of(Cell cell, Measured measured, Optional<ThreadChoice.Choice> choice) {
        RunResult r = measured.result();
        List<BenchmarkResult> forks = List.copyOf(r.getBenchmarkResults());
        Machine machine = Machine.of(forks);
        return rows(cell, new Figures(r.getPrimaryResult(), r.getSecondaryResults(),
                ForkStats.of(ForkStats.primary(forks)), forks.size(),
                // Averages over forks get an interval over forks; a peak or a count has none.
                label -> label.startsWith(Breakdown.PHASE) || label.equals(CellMetric.FILE_RESIDENT_BEFORE.label())
                        ? ForkStats.secondary(forks, label).map(v -> ForkStats.of(v).halfWidth()).orElse(Double.NaN)
                        : Double.NaN,
                cell.mode() == Mode.STEADY ? ForkStats.drift(forks) : Optional.empty(),
                choice.map(c -> c.describe() + "; " + ThreadChoice.RULE)
                        .orElse("threads as given: exactly the budget, no counts probed"), measured.ended(),
                Optional.of(machine)));
    }

    /**
     * The rows of figures measured outside JMH but handed over as JMH's results (a {@code tensorrt}
     * cell's, one trtexec process per fork): the primary's interval over {@code perFork}, the
     * secondaries' without one, and the machine's load over the whole cell (its processes are not
     * JMH forks, so nothing samples between iterations).
     */
    static List<ResultRow> of(Cell cell, Result<?> primary, Map<String, ? extends Result<?>> secondary, double[] perFork,
                              Optional<MachineLoad.Share> load) {
        int n = perFork.length;
        return rows(cell, new Figures(primary, secondary, ForkStats.of(perFork), n, label -> Double.NaN,
                Optional.empty(), "", "fixed at " + n + " forks (one trtexec process each)",
                load.map(l -> new Machine(l.othersCores(), l.cores(), Double.NaN, Double.NaN, 1, l.loadAverage()))));
    }

    /**
     * What a cell measured, whoever timed it: the primary result and its interval over forks, the
     * secondary results (a {@link LatencyResult} among them gives the percentiles), each secondary's
     * interval by its label, the drift of a steady cell, the note on its threads, why it ran no more
     * forks, and the machine over it.
     */
    @SuppressWarnings("rawtypes") // JMH's secondary results are raw
    private record Figures(Result<?> primary, Map<String, ? extends Result> secondary, ForkStats.Interval interval,
                           int forks, ToDoubleFunction<String> secondaryError, Optional<String> drift,
                           String threadsNote, String ended, Optional<Machine> machine) {}

    /**
     * The rows of a cell's figures: the primary first, then throughput and the percentiles, each
     * secondary under its metric name, how many forks and why, and the machine; every row carries
     * the cell's marks (memory pressure, disturbed, drift).
     */
    @SuppressWarnings("rawtypes")
    private static List<ResultRow> rows(Cell cell, Figures f) {
        Map<String, Result<?>> metrics = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        String primary = CellMetric.primary(cell.mode()).label();
        metrics.put(primary, f.primary());
        errors.put(primary, f.interval().halfWidth());
        LatencyResult latency = null;
        for (Map.Entry<String, ? extends Result> e : f.secondary().entrySet()) {
            String label = e.getKey();
            if (e.getValue() instanceof LatencyResult l) {
                latency = l;
            } else if (!label.equals(CellMetric.LOAD_OTHERS.label()) && !label.equals(CellMetric.CORE_SPEED.label())) {
                metrics.put(metricName(label), e.getValue());
                errors.put(metricName(label), f.secondaryError().applyAsDouble(label));
            }
        }
        List<String> marks = new ArrayList<>(List.of(MemoryProbe.verdict(metrics)));
        if (f.machine().filter(Machine::disturbed).isPresent()) {
            marks.add("disturbed");
        }
        f.drift().ifPresent(d -> marks.add("drift"));
        String pressure = String.join("+", marks.stream().filter(m -> !m.isEmpty()).toList());

        int n = f.forks();
        List<ResultRow> rows = new ArrayList<>();
        metrics.forEach((name, result) -> rows.add(new ResultRow(cell, name, result.getScore(), errors.get(name),
                unit(result.getScoreUnit()), result.getSampleCount(), Status.OK,
                name.equals(primary) ? f.drift().orElse("") : name.equals(CellMetric.THREADS_USED.label())
                        ? f.threadsNote() : "", pressure, n)));
        if (latency != null) {
            rows.addAll(1, latencyRows(cell, f.interval(), latency, pressure, n));
        }
        rows.add(new ResultRow(cell, CellMetric.FORKS.label(), n, Double.NaN, CellMetric.FORKS.unit(), n, Status.OK,
                f.ended(), pressure, n));
        f.machine().ifPresent(m -> rows.addAll(m.rows(cell, pressure, n)));
        return rows;
    }

    /**
     * Throughput beside the mean (its interval carried to first order from the mean's), then the
     * percentiles over every measured inference of every iteration and fork, each of p90 and p99
     * with its upper confidence bound.
     */
    static List<ResultRow> latencyRows(Cell cell, ForkStats.Interval mean, LatencyResult latency, String pressure,
                                       int forks) {
        List<ResultRow> rows = new ArrayList<>();
        long n = latency.getSampleCount();
        double throughput = 1000 / mean.mean();
        rows.add(row(cell, CellMetric.THROUGHPUT, throughput, mean.halfWidth() / mean.mean() * throughput, n, "",
                pressure, forks));
        long[] sorted = latency.sortedNanos();
        for (CellMetric p : CellMetric.PERCENTILES) {
            double pct = Double.parseDouble(p.label().substring(1));
            double value = latency.percentileMs(pct);
            rows.add(row(cell, p, value, Double.NaN, n, !Double.isNaN(value) ? "" : String.format(Locale.ROOT,
                    "not resolved: a p%s needs at least %d inferences to differ from the max", p.label().substring(1),
                    (long) Math.ceil(1 / (1 - pct / 100) - 1e-9)), pressure, forks));
            CellMetric upper = p == CellMetric.P90 ? CellMetric.P90_UPPER : p == CellMetric.P99 ? CellMetric.P99_UPPER : null;
            if (upper != null) {
                int rank = Percentiles.upperBoundRank(sorted.length, pct / 100, BOUND_CONFIDENCE);
                rows.add(rank > 0 ? row(cell, upper, sorted[rank - 1] / 1e6, Double.NaN, n, "", pressure, forks)
                        : row(cell, upper, Double.NaN, Double.NaN, n, String.format(Locale.ROOT, "not bounded: %.0f%% "
                                + "confidence in a p%s needs at least %d inferences", 100 * BOUND_CONFIDENCE, p.label()
                                .substring(1), Percentiles.inferencesToBound(pct / 100, BOUND_CONFIDENCE)), pressure, forks));
            }
        }
        rows.add(row(cell, CellMetric.MAX, latency.getStatistics().getMax(), Double.NaN, n, "", pressure, forks));
        rows.add(row(cell, CellMetric.INFERENCES, n, Double.NaN, n, "", pressure, forks));
        return rows;
    }

    /**
     * The machine over the cell's measured iterations: other processes' mean load against its
     * cores, one core's speed (median) and how far it moved between iterations (NaN where not
     * sampled), and the load average at the end.
     */
    record Machine(double othersCores, int cores, double coreSpeedMs, double spread, int samples, double loadAverage) {
        static Machine of(List<BenchmarkResult> forks) {
            double[] load = ForkStats.perIteration(forks, CellMetric.LOAD_OTHERS.label());
            double[] speed = ForkStats.perIteration(forks, CellMetric.CORE_SPEED.label());
            double mean = load.length == 0 ? Double.NaN : java.util.Arrays.stream(load).average().orElse(Double.NaN);
            double median = speed.length == 0 ? Double.NaN : Percentiles.median(speed);
            double spread = speed.length < 2 ? Double.NaN : java.util.Arrays.stream(speed).max().getAsDouble()
                    / java.util.Arrays.stream(speed).min().getAsDouble() - 1;
            return new Machine(mean, Runtime.getRuntime().availableProcessors(), median, spread,
                    Math.max(load.length, speed.length), MachineLoad.loadAverage(java.nio.file.Path.of("/proc")));
        }

        /** Others took more than their share of the machine, or the core's speed moved more than a steady machine's. */
        boolean disturbed() {
            return othersCores > MachineLoad.DISTURBED_SHARE * cores || spread > CoreSpeed.UNSTEADY;
        }

        List<ResultRow> rows(Cell cell, String pressure, int forks) {
            List<ResultRow> rows = new ArrayList<>();
            if (!Double.isNaN(othersCores)) {
                rows.add(row(cell, CellMetric.LOAD_OTHERS, othersCores, Double.NaN, samples, "", pressure, forks));
            }
            if (!Double.isNaN(coreSpeedMs)) {
                rows.add(row(cell, CellMetric.CORE_SPEED, coreSpeedMs, Double.NaN, samples, "", pressure, forks));
            }
            if (!Double.isNaN(spread)) {
                rows.add(row(cell, CellMetric.CORE_SPEED_SPREAD, 100 * spread, Double.NaN, samples, "", pressure, forks));
            }
            rows.add(row(cell, CellMetric.LOAD_AVG, loadAverage, Double.NaN, 1, "", pressure, forks));
            return rows;
        }
    }

    /**
     * Says on the shot's {@code total} row when it was not what {@code policy} asked: a cold shot
     * that found the model still cached (a filesystem that ignores eviction, such as tmpfs) or one
     * whose residency could not be measured.
     */
    static List<ResultRow> withFileCache(List<ResultRow> rows, FileCachePolicy policy) {
        Optional<ResultRow> resident = rows.stream()
                .filter(r -> r.metric().equals(CellMetric.FILE_RESIDENT_BEFORE.label())).findFirst();
        String note;
        if (resident.isEmpty()) {
            note = "file cache " + policy + " asked, its residency not measured here (no mincore)";
        } else if (policy == FileCachePolicy.COLD && resident.get().score() > COLD_RESIDENT_PERCENT) {
            note = String.format(Locale.ROOT, "not a cold read: %.0f%% of the model's bytes stayed in the "
                    + "page cache after eviction (its filesystem keeps them)", resident.get().score());
        } else {
            return rows;
        }
        String total = CellMetric.TOTAL.label();
        return rows.stream().map(r -> r.metric().equals(total) && r.message().isEmpty() ? r.withMessage(note) : r)
                .toList();
    }

    private static ResultRow row(Cell cell, CellMetric metric, double score, double error, long n, String message,
                                 String pressure, int forks) {
        return new ResultRow(cell, metric.label(), score, error, metric.unit(), n, Status.OK, message, pressure, forks);
    }

    /** Breakdown's labels without their prefixes: {@code phase.read -> read}, {@code latency.p99 -> p99}. */
    static String metricName(String label) {
        if (label.startsWith(Breakdown.PHASE)) {
            return label.substring(Breakdown.PHASE.length());
        }
        if (label.startsWith(Breakdown.LATENCY)) {
            return label.substring(Breakdown.LATENCY.length());
        }
        return label;
    }

    private static String unit(String jmhUnit) {
        return jmhUnit.equals("ms/op") ? "ms" : jmhUnit;
    }
}
