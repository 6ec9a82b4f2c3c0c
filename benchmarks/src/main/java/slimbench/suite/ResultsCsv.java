package slimbench.suite;

import java.io.IOException;
import java.io.Reader;
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

/**
 * Reads and appends results CSVs. Rows are appended and flushed one cell at a time, so an
 * interrupted run keeps every cell it completed; a torn last line (the process died while
 * writing) is skipped when reading.
 */
public final class ResultsCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader(ResultRow.COLUMNS).setSkipHeaderRecord(true).get();

    private ResultsCsv() {}

    /** Appends rows, writing the header first if the file is new, and forces them to disk. */
    public static void append(Path file, List<ResultRow> rows) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            StringBuilder out = new StringBuilder();
            try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                if (fresh) {
                    p.printRecord((Object[]) ResultRow.COLUMNS);
                }
                for (ResultRow r : rows) {
                    p.printRecord(r.model(), r.variant(), r.optimize(), r.threads(), r.mode(), r.metric(),
                            number(r.score()), number(r.error()), r.unit(), r.samples(), r.status(),
                            r.message(), r.pressure());
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

    /**
     * Reads a results CSV. Throws {@link IllegalArgumentException} naming the problem when the file
     * is not a SlimBench results CSV; skips a torn last record.
     */
    public static List<ResultRow> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
            List<String> header = parser.getHeaderNames();
            if (!header.containsAll(Arrays.asList(ResultRow.COLUMNS))) {
                throw new IllegalArgumentException(file + " is not a SlimBench results CSV: expected columns "
                        + String.join(",", ResultRow.COLUMNS) + " but found " + String.join(",", header));
            }
            List<ResultRow> rows = new ArrayList<>();
            for (CSVRecord r : untilTornQuote(parser)) {
                if (!r.isConsistent()) {
                    continue; // torn line from an interrupted write
                }
                try {
                    rows.add(new ResultRow(r.get("model"), r.get("variant"), r.get("optimize"),
                            Integer.parseInt(r.get("threads")), r.get("mode"), r.get("metric"),
                            parse(r.get("score")), parse(r.get("error")), r.get("unit"),
                            Long.parseLong(r.get("samples")), Status.valueOf(r.get("status")),
                            r.get("message"), r.get("pressure")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + r.getRecordNumber()
                            + ": malformed row (" + e.getMessage() + ")", e);
                }
            }
            return rows;
        }
    }

    /**
     * The records of a file, stopping quietly where a quoted field was cut off by the end of the
     * file: the process died while writing a message, which leaves the parser an open quote.
     */
    private static Iterable<CSVRecord> untilTornQuote(Iterable<CSVRecord> records) {
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<CSVRecord> it = records.iterator();

            @Override
            public boolean hasNext() {
                try {
                    return it.hasNext();
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof org.apache.commons.csv.CSVException
                            && String.valueOf(e.getCause().getMessage()).contains("EOF reached")) {
                        return false;
                    }
                    throw e;
                }
            }

            @Override
            public CSVRecord next() {
                return it.next();
            }
        };
    }

    /** Writes a whole file atomically (temp file + move), for reports and rewritten CSVs. */
    public static void writeAtomically(Path file, String content) throws IOException {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a whole binary file (a chart) atomically: readers see the old file or the new one, never half. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = slimbench.model.ModelFiles.tempFileBeside(file);
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static double parse(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
