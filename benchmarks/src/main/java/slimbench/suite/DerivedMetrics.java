package slimbench.suite;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import slimbench.model.CellMetric;
import slimbench.model.CellSpec;
import slimbench.engine.Engines;
import slimbench.model.Mode;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.probe.Metric;

/**
 * The step after a cell's process: the rows the runner derives from a cell's measured rows and
 * what it knows beside them (the host's measured MatMul peaks, the model's MACs and bytes), so the
 * {@link Runner} only orchestrates. The peaks are measured in the runner's own JVM, through
 * TensorFlow, and kept for the run's conditions.
 */
final class DerivedMetrics {
    private final Scale scale;
    /** The best MatMul peak seen so far per thread count and precision (see {@link #measurePeaks}). */
    private final Map<Integer, Map<Precision, Double>> peaks = new TreeMap<>();
    /** Every peak measurement, as conditions: {@code roofline.fp32.t0.measured -> "27.9 at start, 391.0 after"}. */
    private final Map<String, String> peakMeasurements = new TreeMap<>();

    DerivedMetrics(Scale scale) {
        this.scale = scale;
    }

    /** Every derived row a cell's rows lead to, after them. */
    List<ResultRow> of(CellSpec spec, List<ResultRow> rows, long modelBytes) {
        Cell ran = rows.isEmpty() ? Cell.of(spec) : rows.get(0).cell(); // on the threads it ran on
        return withMemoryRatio(ran, withRoofline(spec, rows), modelBytes);
    }

    /** The best peaks so far, GFLOP/s by thread count and precision. */
    Map<Integer, Map<Precision, Double>> peaks() {
        return java.util.Collections.unmodifiableMap(peaks);
    }

    /** The best peaks so far ({@code roofline.fp32.t0 -> "391.0 GFLOP/s"}) and every measurement of them. */
    Map<String, String> conditions() {
        Map<String, String> out = new LinkedHashMap<>();
        peaks.forEach((threads, peak) -> peak.forEach((p, gflops) -> out.put(
                "roofline." + p.label() + ".t" + threads, String.format(Locale.ROOT, "%.1f GFLOP/s", gflops))));
        out.putAll(peakMeasurements);
        return out;
    }

    /**
     * Measures the host's peak MatMul rate for {@code threads} through TensorFlow (a 2048-square
     * MatMul; 256 for scaled-down runs, whose cells are tiny anyway) and keeps the best seen. A peak
     * measured while the machine is busy is low, and every fraction of it too high, so it is measured
     * at the start, again at the end, and again beside any cell that would exceed it; each
     * measurement is kept for conditions.csv.
     */
    Map<Precision, Double> measurePeaks(int threads, String when) {
        int n = scale.isFull() ? 2048 : 256;
        Map<Precision, Double> now = PeakProcess.measure(n, threads, 5); // the pool of its own thread count
        Map<Precision, Double> best = peaks.computeIfAbsent(threads, t -> new EnumMap<>(Precision.class));
        now.forEach((p, gflops) -> {
            best.merge(p, gflops, Math::max);
            peakMeasurements.merge("roofline." + p.label() + ".t" + threads + ".measured",
                    String.format(Locale.ROOT, "%.1f %s", gflops, when), (a, b) -> a + ", " + b);
        });
        return best;
    }

    /**
     * A steady cell's useful work rate (2 x the model's MACs per inference) and its fraction of the
     * measured peak of its precision: how close the graph comes to what the hardware can do.
     */
    List<ResultRow> withRoofline(CellSpec spec, List<ResultRow> rows) {
        if (spec.mode() != Mode.STEADY || spec.model() == null || !Engines.of(spec.runtime()).onThisCpu()) {
            return rows; // the peaks are this CPU's; an engine on the GPU is not framed by them
        }
        ResultRow avg = rows.stream().filter(r -> r.metric().equals(CellMetric.AVG.label())).findFirst().orElse(null);
        if (avg == null || !(avg.score() > 0)) {
            return rows;
        }
        Cell cell = avg.cell(); // the peak is of the threads the cell ran on, not of its budget
        if (!peaks.containsKey(cell.threads())) {
            measurePeaks(cell.threads(), "for the cells that ran on " + cell.threads() + " threads");
        }
        long macs = spec.model().describe(spec.scale()).macs();
        double gflops = 2.0 * macs / (avg.score() * 1e6); // avg is in ms
        Precision precision = spec.variant().precision();
        Double best = peaks.getOrDefault(cell.threads(), Map.of()).get(precision);
        if (best == null) { // not measured: the precision cannot run in this process
            return rows;
        }
        double peak = best;
        if (gflops > peak) { // the peak was likely measured on a busy machine: measure it again, now
            peak = measurePeaks(cell.threads(), "beside " + cell.slug()).get(precision);
        }
        List<ResultRow> out = new ArrayList<>(rows);
        out.add(new ResultRow(cell, CellMetric.GFLOPS.label(), gflops, Double.NaN, CellMetric.GFLOPS.unit(), avg.samples(), Status.OK, "", avg.pressure()));
        out.add(peakFraction(cell, avg, gflops, peak));
        return out;
    }

    /** The fraction of the peak a cell reached; above 100% it cannot be true, and is marked INVALID. */
    static ResultRow peakFraction(Cell cell, ResultRow avg, double gflops, double peak) {
        boolean impossible = gflops > peak;
        return new ResultRow(cell, CellMetric.PEAK_FRACTION.label(), 100 * gflops / peak, Double.NaN,
                CellMetric.PEAK_FRACTION.unit(), avg.samples(),
                impossible ? Status.INVALID : Status.OK, impossible
                        ? String.format(Locale.ROOT, "above the best measured peak %.1f GFLOP/s, which cannot be: "
                                + "the peak or the cell was measured on a busy machine", peak)
                        : String.format(Locale.ROOT, "peak %.1f GFLOP/s", peak), avg.pressure());
    }

    /**
     * A cold cell's peak resident memory above its baseline (the same fork with TensorFlow loaded
     * and an empty graph run, just before the shot), as a multiple of the model's bytes on disk:
     * how many copies of its weights a load makes.
     */
    static List<ResultRow> withMemoryRatio(Cell cell, List<ResultRow> rows, long modelBytes) {
        ResultRow peak = rows.stream().filter(r -> r.metric().equals(Metric.RSS_PEAK.label())).findFirst().orElse(null);
        ResultRow base = rows.stream().filter(r -> r.metric().equals(CellMetric.MEM_RSS_AFTER_BASELINE.label())).findFirst().orElse(null);
        if (cell.mode() != Mode.COLD || peak == null || base == null || modelBytes <= 0) {
            return rows;
        }
        double mib = modelBytes / (double) (1 << 20);
        List<ResultRow> out = new ArrayList<>(rows);
        out.add(new ResultRow(cell, CellMetric.MEM_OVER_MODEL.label(), (peak.score() - base.score()) / mib, Double.NaN,
                CellMetric.MEM_OVER_MODEL.unit(), peak.samples(), Status.OK,
                String.format(Locale.ROOT, "(peak %.0f - baseline %.0f MiB) / model %.0f MiB", peak.score(),
                        base.score(), mib), peak.pressure()));
        return out;
    }
}
