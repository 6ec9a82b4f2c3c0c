package slimbench.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import slimbench.model.CellMetric;
import slimbench.model.Engine;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Status;

/**
 * One benchmark run as the report and the diff see it: a label, its rows (the last one recorded
 * for each cell and metric) and the run conditions from the {@code conditions.csv} beside it.
 *
 * <p>Reads SlimBench's results CSV and the 2019 reference format, told apart by their headers.
 * The reference file holds one run per machine; every other file holds one run.
 *
 * @param notes what the reader should know about the file, e.g. that the run was interrupted
 */
public record Run(String label, Path source, List<ResultRow> rows, Map<String, String> conditions,
                  List<String> notes) {

    public static final String CONDITIONS_FILE = "conditions.csv";

    public Run {
        rows = List.copyOf(rows);
        conditions = Map.copyOf(conditions);
        notes = List.copyOf(notes);
    }

    /** Every run in the file: one, or one per machine for the reference format. */
    public static List<Run> load(Path csv) throws IOException {
        return load(csv, List.of());
    }

    /**
     * The runs in the file, keeping only the given machines of a reference file (all when empty).
     *
     * @throws IllegalArgumentException when the file is missing, empty, of another format, or has
     *                                  none of the machines asked for; the message names the file
     */
    public static List<Run> load(Path csv, Collection<String> machines) throws IOException {
        List<String> header = header(csv);
        if (header.containsAll(ResultRow.REQUIRED)) {
            ResultsCsv.Contents contents = ResultsCsv.readAll(csv);
            checkScores(csv, contents);
            return List.of(new Run(label(csv), csv, latest(contents.rows()), conditions(csv, null),
                    contents.torn()));
        }
        if (header.containsAll(ReferenceCsv.COLUMNS)) {
            Map<String, List<ResultRow>> byMachine = ReferenceCsv.read(csv);
            for (String machine : machines) {
                if (!byMachine.containsKey(machine)) {
                    throw new IllegalArgumentException(csv + " has no machine " + machine + "; it holds "
                            + String.join(", ", byMachine.keySet()));
                }
            }
            String stem = stem(csv);
            List<Run> runs = new ArrayList<>();
            byMachine.forEach((machine, rows) -> {
                if (machines.isEmpty() || machines.contains(machine)) {
                    runs.add(new Run(stem + "/" + machine, csv, latest(rows), conditions(csv, machine), List.of()));
                }
            });
            return runs;
        }
        throw new IllegalArgumentException(csv + " is neither a SlimBench results CSV (columns "
                + String.join(",", ResultRow.COLUMNS) + ") nor a 2019 reference CSV (columns "
                + String.join(",", ReferenceCsv.COLUMNS) + "); its header is " + String.join(",", header));
    }

    /**
     * This run's rows of one runtime, labelled with it: the report's tables compare variants of one
     * runtime, and {@link Runtimes} sets the runtimes side by side.
     */
    public Run ofRuntime(Engine runtime) {
        return new Run(label + " (" + runtime + ")", source, rows.stream().filter(r -> r.runtime().equals(runtime)).toList(),
                conditions, notes);
    }

    /** The row of one metric of one cell, if recorded. */
    Optional<ResultRow> find(CellMatch cell, String metric) {
        return rows.stream().filter(r -> cell.matches(r) && r.metric().equals(metric)).findFirst();
    }

    /**
     * What to show for one metric of one cell: its row, or else the failure row of the cell (a failed
     * cell records a single row under {@code total} or {@code avg}), or else nothing.
     */
    Optional<ResultRow> lookup(CellMatch cell, String metric) {
        return find(cell, metric).or(() -> rows.stream().filter(r -> cell.matches(r) && r.status() != Status.OK)
                .findFirst());
    }

    /**
     * A measured (OK) row must hold a number: infinite or NaN is a damaged or hand-edited file,
     * and a negative time or size is no measurement. Named with its line, not shown as a blank. The
     * one exception is a percentile, or its upper bound, that too few inferences cannot give: empty
     * (its message says why, in runs that write one).
     */
    private static void checkScores(Path csv, ResultsCsv.Contents contents) {
        for (int i = 0; i < contents.rows().size(); i++) {
            ResultRow r = contents.rows().get(i);
            if (!r.status().ok() || Double.isNaN(r.score()) && percentile(r.metric())) {
                continue;
            }
            boolean nonNegative = r.unit().equals("ms") || r.unit().equals("MiB");
            if (!Double.isFinite(r.score()) || nonNegative && r.score() < 0) {
                throw new IllegalArgumentException(csv + " line " + contents.lines().get(i) + ": an OK row of "
                        + r.key() + " " + r.metric() + " has the score " + r.score() + ", "
                        + (Double.isFinite(r.score()) ? "a negative " + r.unit() : "not a finite number"));
            }
        }
    }

    private static boolean percentile(String metric) {
        return metric.equals(CellMetric.P90_UPPER.label()) || metric.equals(CellMetric.P99_UPPER.label())
                || CellMetric.PERCENTILES.stream().anyMatch(p -> p.label().equals(metric));
    }

    /** Keeps the last row recorded for each (cell, metric): a cell that was re-run counts once. */
    private static List<ResultRow> latest(List<ResultRow> rows) {
        Map<String, ResultRow> last = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            last.remove(r.key() + "/" + r.metric());
            last.put(r.key() + "/" + r.metric(), r);
        }
        return new ArrayList<>(last.values());
    }

    private static List<String> header(Path csv) throws IOException {
        if (Files.isDirectory(csv)) {
            throw new IllegalArgumentException(csv + " is a directory"
                    + (Files.isRegularFile(csv.resolve("results.csv")) ? ": give its results.csv, " + csv.resolve("results.csv")
                    : ", not a results CSV"));
        }
        if (!Files.exists(csv)) {
            throw new IllegalArgumentException(csv + ": no such file");
        }
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " is not a regular file (a device or a pipe), not a results CSV");
        }
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first != null && first.startsWith("\uFEFF")) {
                throw new IllegalArgumentException(csv + " starts with a UTF-8 byte-order mark, which SlimBench never "
                        + "writes (an editor added it): save the file without a BOM");
            }
            if (first == null || first.isBlank()) {
                throw new IllegalArgumentException(csv + " is empty: expected a results CSV with columns "
                        + String.join(",", ResultRow.COLUMNS));
            }
            CSVRecord r = CSVFormat.DEFAULT.parse(new java.io.StringReader(first)).getRecords().get(0);
            return r.stream().map(String::strip).toList();
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(csv + " is not a text CSV file", e);
        }
    }

    /** {@code reports/<host>/<run>/results.csv} is labelled {@code <host>/<run>}; any other file by its name. */
    private static String label(Path csv) {
        Path abs = csv.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (abs.getFileName().toString().equals("results.csv") && dir != null && dir.getParent() != null
                && dir.getParent().getFileName() != null) {
            return dir.getParent().getFileName() + "/" + dir.getFileName();
        }
        return stem(csv);
    }

    private static String stem(Path csv) {
        String name = csv.getFileName().toString();
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * The conditions beside the file: {@code key,value}, or for the reference {@code machine,key,value}
     * where machine {@code any} holds for all. A missing file means no conditions were recorded.
     */
    private static Map<String, String> conditions(Path csv, String machine) {
        Path file = csv.toAbsolutePath().resolveSibling(CONDITIONS_FILE);
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
            boolean perMachine = parser.getHeaderNames().contains("machine");
            for (CSVRecord r : parser) {
                if (!r.isConsistent() || !r.isMapped("key") || !r.isMapped("value")) {
                    continue;
                }
                if (perMachine && !(r.get("machine").equals(ReferenceCsv.ANY) || r.get("machine").equals(machine))) {
                    continue;
                }
                out.put(r.get("key"), r.get("value"));
            }
        } catch (IOException | RuntimeException e) {
            // Conditions are context, not results: a damaged file must not stop the report.
            out.put("conditions", "unreadable (" + e.getMessage() + ")");
        }
        return out;
    }
}
