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
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

/**
 * Reads the 2019 reference format ({@code machine,model,variant,metric,value,unit,status}) into
 * SlimBench rows, one list per machine. The mapping is the one fixtures/reference/README.md gives:
 * the blog's dynamic-op graphs built their engines at the first inference (optimize {@code at-load}),
 * its static-op graphs had them built ahead ({@code ahead}).
 */
final class ReferenceCsv {
    static final List<String> COLUMNS = List.of("machine", "model", "variant", "metric", "value", "unit", "status");
    /** Rows of this machine hold for every machine (the file sizes). */
    static final String ANY = "any";

    private static final Map<String, String> VARIANTS = Map.of("original", "fp32", "tftrt_fp16", "tftrt-fp16");

    /** mode, optimize, metric, samples of a measured cell. */
    private record Metric(String mode, String optimize, String metric, long samples) {}

    private static final Map<String, Metric> METRICS = Map.of(
            "first_inference_dynamic_op", new Metric("cold", "at-load", "first_inference", 1),
            "first_inference_static_op", new Metric("cold", "ahead", "first_inference", 1),
            "steady_state_mean_100", new Metric("steady", "at-load", "avg", 100),
            "file_size", new Metric("file", "at-load", "file_size", 1));

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
        String variant = VARIANTS.get(r.get("variant"));
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
        return new ResultRow(new Cell(r.get("model"), variant, m.optimize(), 0, m.mode()), m.metric(), value, Double.NaN,
                unit, status.ok() ? m.samples() : 0, status, "", "");
    }
}
