package slimbench.suite;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import slimbench.model.AtomicFile;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.probe.Metric;

/**
 * What CI trackers read, written beside {@code results.csv}: github-action-benchmark's
 * {@code customSmallerIsBetter} JSON (an array of {@code {name, unit, value, range?, extra?}}) and
 * Bencher's Metric Format (BMF: {@code {benchmark: {measure: {value, lower_value?, upper_value?}}}}).
 * Their JMH adapters read one primary score per benchmark; these files carry one series per cell and
 * {@link Measure}, named by the cell's key with its runtime, so that no two cells share a series.
 * Failed cells have no figure and no entry.
 */
public final class Trackers {
    /** github-action-benchmark, {@code tool: customSmallerIsBetter}. */
    public static final String BENCHMARK_ACTION = "benchmark-action.json";
    /** Bencher, {@code bencher run --adapter json --file bencher.json}. */
    public static final String BENCHER = "bencher.json";

    /** A series a tracker plots: one metric of one mode, its name in each format. Smaller is better for all. */
    enum Measure {
        STEADY_MEAN(Mode.STEADY, CellMetric.AVG.label(), "steady mean", "steady-mean"),
        STEADY_P99(Mode.STEADY, CellMetric.P99.label(), "steady p99", "steady-p99"),
        COLD_TOTAL(Mode.COLD, CellMetric.TOTAL.label(), "cold total", "cold-total"),
        ENERGY_PER_INFERENCE(Mode.STEADY, Metric.ENERGY_PER_INFERENCE.label(), "energy per inference",
                "energy-per-inference"),
        COLD_PEAK_MEMORY(Mode.COLD, Metric.RSS_PEAK.label(), "cold peak memory", "cold-peak-rss"),
        STEADY_PEAK_MEMORY(Mode.STEADY, Metric.RSS_PEAK.label(), "steady peak memory", "steady-peak-rss");

        final Mode mode;
        final String metric;
        final String title;
        final String slug;

        Measure(Mode mode, String metric, String title, String slug) {
            this.mode = mode;
            this.metric = metric;
            this.title = title;
            this.slug = slug;
        }

        /** Bencher's measure: the slug with the unit, as Bencher makes a measure it does not know from it. */
        String bencherSlug(String unit) {
            return slug + "-" + unit.toLowerCase(Locale.ROOT);
        }
    }

    private Trackers() {}

    /** Writes both files into {@code dir}, each atomically, from a run's rows; returns them. */
    public static List<Path> write(List<ResultRow> rows, Path dir) throws IOException {
        Map<String, Entry> entries = entries(rows);
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Path action = dir.resolve(BENCHMARK_ACTION);
        Path bencher = dir.resolve(BENCHER);
        AtomicFile.write(action, gson.toJson(benchmarkAction(entries.values())) + "\n");
        AtomicFile.write(bencher, gson.toJson(bencher(entries.values())) + "\n");
        return List.of(action, bencher);
    }

    /** One measured figure of one series. */
    record Entry(String series, Measure measure, ResultRow row) {
        String name() {
            return series + " " + measure.title;
        }
    }

    /**
     * The figures the trackers get, one per series and measure: the last row recorded for it (a
     * cell run again counts once), measured and finite.
     */
    static Map<String, Entry> entries(List<ResultRow> rows) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            for (Measure m : Measure.values()) {
                if (r.mode() == m.mode && r.metric().equals(m.metric)) {
                    Entry e = new Entry(series(r.cell()), m, r);
                    out.remove(e.name());
                    if (r.status().ok() && Double.isFinite(r.score())) {
                        out.put(e.name(), e);
                    }
                }
            }
        }
        return out;
    }

    /** The cell's key with its runtime always spelled out (the key leaves out the default one). */
    static String series(Cell c) {
        return c.runtime().equals(Engine.DEFAULT) ? c.key() + "/" + c.runtime() : c.key();
    }

    static JsonArray benchmarkAction(Iterable<Entry> entries) {
        JsonArray out = new JsonArray();
        for (Entry e : entries) {
            ResultRow r = e.row();
            JsonObject o = new JsonObject();
            o.addProperty("name", e.name());
            o.addProperty("unit", r.unit());
            o.addProperty("value", r.score());
            if (hasError(r)) {
                o.addProperty("range", "± " + r.error());
            }
            o.addProperty("extra", extra(r));
            out.add(o);
        }
        return out;
    }

    static JsonObject bencher(Iterable<Entry> entries) {
        JsonObject out = new JsonObject();
        for (Entry e : entries) {
            ResultRow r = e.row();
            JsonObject metric = new JsonObject();
            metric.addProperty("value", r.score());
            if (hasError(r)) {
                // every measure is a time, a size or an energy: an interval wider than the figure stops at 0
                metric.addProperty("lower_value", Math.max(0, r.score() - r.error()));
                metric.addProperty("upper_value", r.score() + r.error());
            }
            if (!out.has(e.series())) {
                out.add(e.series(), new JsonObject());
            }
            out.getAsJsonObject(e.series()).add(e.measure().bencherSlug(r.unit()), metric);
        }
        return out;
    }

    private static boolean hasError(ResultRow r) {
        return Double.isFinite(r.error()) && r.error() >= 0;
    }

    /** The tooltip: how many measurements the figure is made of, and its memory or load mark. */
    private static String extra(ResultRow r) {
        String pressure = r.pressure() == null ? "" : r.pressure().replace("none+", "").replace("none", "");
        String samples = r.samples() + (r.samples() == 1 ? " sample" : " samples");
        return pressure.isEmpty() ? samples : samples + "\n" + pressure.replace('+', ' ');
    }
}
