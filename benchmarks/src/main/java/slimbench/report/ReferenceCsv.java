package slimbench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

/**
 * Reads the 2019 reference format ({@code machine,model,variant,metric,value,unit,status}) into
 * SlimBench rows, one list per machine, its labels mapped to ours here, once: the rows are then
 * typed cells like any run's (threads 0, unknown; TensorFlow, which the blog ran), and the machines
 * are the runs' labels. The mapping is the one fixtures/reference/README.md gives:
 * the blog's dynamic-op graphs built their engines at the first inference (optimize {@code at-load}),
 * its static-op graphs had them built ahead ({@code ahead}).
 */
final class ReferenceCsv {
    static final List<String> COLUMNS = List.of("machine", "model", "variant", "metric", "value", "unit", "status");
    /** Rows of this machine hold for every machine (the file sizes). */
    static final String ANY = "any";

    /** The blog's variants as ours: its graph as exported is our fp32, its TF-TRT FP16 engines our tftrt-fp16. */
    private static final Map<String, Variant> VARIANTS = Map.of("original", Variant.FP32, "tftrt_fp16", Variant.TFTRT_FP16);

    /** mode, optimize, metric, samples of a measured cell. */
    private record Metric(Mode mode, Optimize optimize, CellMetric metric, long samples) {}

    private static final Map<String, Metric> METRICS = Map.of(
            "first_inference_dynamic_op", new Metric(Mode.COLD, Optimize.AT_LOAD, CellMetric.FIRST_INFERENCE, 1),
            "first_inference_static_op", new Metric(Mode.COLD, Optimize.AHEAD, CellMetric.FIRST_INFERENCE, 1),
            "steady_state_mean_100", new Metric(Mode.STEADY, Optimize.AT_LOAD, CellMetric.AVG, 100),
            "file_size", new Metric(Mode.FILE, Optimize.AT_LOAD, CellMetric.FILE_SIZE, 1));

    private ReferenceCsv() {}

    /** The rows of each machine, in the order the machines first appear; {@code any} rows go to all of them. */
    static Map<String, List<ResultRow>> read(Path file) throws IOException {
        List<ResultRow> shared = new ArrayList<>();
        Map<String, List<ResultRow>> byMachine = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
            for (CSVRecord r : parser) {
                if (!r.isConsistent()) {
                    continue; // torn last line, as in SlimBench's own files
                }
                ResultRow row;
                try {
                    row = toRow(r);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + r.getRecordNumber() + ": " + e.getMessage(), e);
                }
                String machine = r.get("machine");
                if (machine.equals(ANY)) {
                    shared.add(row);
                } else {
                    byMachine.computeIfAbsent(machine, m -> new ArrayList<>()).add(row);
                }
            }
        }
        if (byMachine.isEmpty()) {
            byMachine.put(ANY, new ArrayList<>());
        }
        byMachine.values().forEach(rows -> rows.addAll(0, shared));
        return byMachine;
    }

    /** Whether the run was read from a reference file (its source's header is this format's). */
    static boolean isReference(Run run) {
        try (var in = Files.newBufferedReader(run.source(), StandardCharsets.UTF_8)) {
            String first = in.readLine();
            return first != null && List.of(first.strip().split(",")).equals(COLUMNS);
        } catch (IOException | RuntimeException e) {
            return false; // a run made in memory (tests) or a file gone since: not a reference
        }
    }

    private static ResultRow toRow(CSVRecord r) {
        Variant variant = VARIANTS.get(r.get("variant"));
        if (variant == null) {
            throw new IllegalArgumentException("unknown variant '" + r.get("variant") + "', expected " + VARIANTS.keySet());
        }
        Metric m = METRICS.get(r.get("metric"));
        if (m == null) {
            throw new IllegalArgumentException("unknown metric '" + r.get("metric") + "', expected " + METRICS.keySet());
        }
        Status status = Status.valueOf(r.get("status"));
        double value = r.get("value").isEmpty() ? Double.NaN : Double.parseDouble(r.get("value"));
        String unit = r.get("unit");
        if (unit.equals("GiB")) {
            value *= 1024;
            unit = "MiB";
        }
        Cell cell = Cell.named(r.get("model"), variant, m.optimize(), 0, m.mode(), Engine.DEFAULT, 0);
        return new ResultRow(cell, m.metric().label(), value, Double.NaN, unit, status.ok() ? m.samples() : 0, status,
                "", "");
    }
}
