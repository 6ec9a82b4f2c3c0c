package slimbench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * Reads and appends results CSVs. Rows are appended and forced to disk one cell at a time, one
 * line per row, so an interrupted run keeps every cell it completed; a torn line (the process
 * died while writing) is skipped and reported when reading, and {@link RunDirectory} cuts it off
 * before a resumed run appends.
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    /**
     * Appends rows, writing the header first if the file is new, and forces them to disk. A file
     * begun before the {@code runtime} column (a resumed older run) goes on without it, so that
     * each of its lines keeps its header's width; such a run ran only the default engine.
     */
    public static void append(Path file, List<ResultRow> rows) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            List<String> columns = fresh ? List.of(ResultRow.COLUMNS) : header(file);
            StringBuilder out = new StringBuilder();
            try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                if (fresh) {
                    p.printRecord((Object[]) ResultRow.COLUMNS);
                }
                for (ResultRow r : rows) {
                    if (!columns.contains(ResultRow.RUNTIME) && !r.runtime().equals(Engine.DEFAULT)) {
                        throw new IllegalArgumentException(file + " was begun before the runtime column: it "
                                + "cannot record a cell of " + r.runtime() + "; start a new run");
                    }
                    List<Object> fields = new ArrayList<>();
                    for (String c : columns) {
                        fields.add(field(r, c));
                    }
                    p.printRecord(fields);
                }
            }
            try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                long before = ch.size();
                try {
                    var bytes = StandardCharsets.UTF_8.encode(out.toString());
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                    ch.force(false);
                } catch (IOException e) {
                    ch.truncate(before); // a full disk leaves the rows before, not half a cell
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append results to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's header: a file begun by an older SlimBench has fewer columns, and keeps them. */
    private static List<String> header(Path file) throws IOException {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            List<String> header = first == null ? null : fields(first);
            return header == null ? List.of(ResultRow.COLUMNS) : header;
        }
    }

    private static Object field(ResultRow r, String column) {
        return switch (column) {
            case "model" -> r.name();
            case "variant" -> r.variant().label();
            case "optimize" -> r.optimize().label();
            case "threads" -> r.threads();
            case "mode" -> r.mode().label();
            case "metric" -> r.metric();
            case "score" -> number(r.score());
            case "error" -> number(r.error());
            case "unit" -> r.unit();
            case "samples" -> r.samples();
            case "status" -> r.status();
            case "message" -> oneLine(r.message());
            case "pressure" -> r.pressure();
            case "runtime" -> r.runtime().label();
            case "threads_budget" -> r.threadsBudget();
            case "forks" -> r.forks();
            default -> "";
        };
    }

    /**
     * What a results CSV holds: its rows with the line each was read from, and the lines that
     * were not rows (torn by an interruption), each said in a sentence.
     */
    public record Contents(List<ResultRow> rows, List<Integer> lines, List<String> torn) {}

    /**
     * Reads a results CSV, its labels into the registry's types. Throws {@link IllegalArgumentException}
     * naming the problem when the file is not a SlimBench results CSV or a row is malformed (a label
     * this build does not know among them); skips torn lines.
     */
    public static List<ResultRow> read(Path file) throws IOException {
        return readAll(file).rows();
    }

    /**
     * Reads a results CSV line by line (the writer puts each row on one line), so that a line torn
     * by an interruption, even one ending inside a quote, costs that line only: every later row is
     * still read, and each torn line is reported with its line number.
     */
    public static Contents readAll(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF) {
            throw new IllegalArgumentException(file + " starts with a UTF-8 byte-order mark, which SlimBench never "
                    + "writes (an editor added it): save the file without a BOM");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not a text CSV file (not UTF-8)", e);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        boolean endsComplete = lines.get(lines.size() - 1).isEmpty();
        if (endsComplete) {
            lines.remove(lines.size() - 1);
        }
        List<String> header = lines.isEmpty() ? List.of() : fields(lines.get(0));
        if (header == null || !header.containsAll(ResultRow.REQUIRED)) {
            throw new IllegalArgumentException(file + " is not a SlimBench results CSV: expected columns "
                    + String.join(",", ResultRow.REQUIRED) + " but found "
                    + (lines.isEmpty() ? "nothing" : lines.get(0)));
        }
        int[] at = new int[ResultRow.COLUMNS.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = header.indexOf(ResultRow.COLUMNS[i]); // -1 for a column the file predates
        }
        List<ResultRow> rows = new ArrayList<>();
        List<Integer> rowLines = new ArrayList<>();
        List<String> torn = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            int lineNumber = n + 1;
            List<String> f = fields(lines.get(n));
            boolean last = n == lines.size() - 1;
            if (f == null || f.size() != header.size() || last && !endsComplete) {
                if (!lines.get(n).isEmpty()) {
                    torn.add("the run was interrupted: " + file.getFileName() + " line " + lineNumber
                            + " is torn and was skipped: " + abbreviate(lines.get(n)));
                }
                continue;
            }
            try {
                Engine runtime = at[13] < 0 ? Engine.DEFAULT : Engine.of(f.get(at[13]));
                int threads = Integer.parseInt(f.get(at[3]));
                int budget = at[14] < 0 ? threads : Integer.parseInt(f.get(at[14]));
                int forks = at[15] < 0 ? 0 : Integer.parseInt(f.get(at[15]));
                Cell cell = Cell.named(f.get(at[0]), Variant.of(f.get(at[1])), Optimize.of(f.get(at[2])), threads,
                        Mode.of(f.get(at[4])), runtime, budget);
                rows.add(new ResultRow(cell, f.get(at[5]), parse(f.get(at[6])), parse(f.get(at[7])), f.get(at[8]),
                        Long.parseLong(f.get(at[9])), Status.valueOf(f.get(at[10])), f.get(at[11]), f.get(at[12]),
                        forks));
                rowLines.add(lineNumber);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": malformed row ("
                        + e.getMessage() + ")", e);
            }
        }
        return new Contents(rows, rowLines, torn);
    }

    /** The length of the file up to its last complete line: where a torn tail begins. */
    static long completeLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return end;
    }

    /** The fields of one CSV line, or null when the line does not parse on its own (an open quote). */
    private static List<String> fields(String line) {
        try (var parser = CSVFormat.DEFAULT.parse(new java.io.StringReader(line))) {
            List<CSVRecord> records = parser.getRecords();
            return records.size() == 1 ? records.get(0).toList() : null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    /** Each row is one line, so the reader can resynchronise after a torn one. */
    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static double parse(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
