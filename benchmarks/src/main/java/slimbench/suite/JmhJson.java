package slimbench.suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import slimbench.model.AtomicFile;

/**
 * A run's {@code results.json}: JMH's own JSON result format (what {@code -rf json} writes), one
 * entry per measured cell, written by JMH's formatter from the cell's {@link RunResult}s, so
 * tools that read JMH results (jmh-visualizer, JMH JSON readers, CI benchmark actions) load a
 * SlimBench run as they load any JMH run. Each cell process writes its own array; the runner
 * appends its entries to the run's file, atomically, as each cell ends.
 */
public final class JmhJson {
    public static final String FILE = "results.json";

    private JmhJson() {}

    /** JMH's JSON for {@code results}. */
    static String format(Collection<RunResult> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes a cell's results as JMH's JSON, atomically. */
    static void write(Path file, Collection<RunResult> results) throws IOException {
        AtomicFile.write(file, format(results));
    }

    /** Appends the entries of the JMH JSON array in {@code cell} to the array in {@code run} (made if absent). */
    static void append(Path run, Path cell) throws IOException {
        List<String> entries = new ArrayList<>();
        if (Files.exists(run)) {
            entries.add(entries(Files.readString(run)));
        }
        entries.add(entries(Files.readString(cell)));
        entries.removeIf(String::isEmpty);
        AtomicFile.write(run, "[\n" + String.join(",\n", entries) + "\n]\n");
    }

    /**
     * The text between the outer brackets of a JSON array as JMH writes it (its outer structure is
     * fixed: {@code [}, objects separated by commas, {@code ]}), so arrays join by concatenation.
     */
    static String entries(String array) throws IOException {
        String s = array.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IOException("not a JMH JSON result array");
        }
        return s.substring(1, s.length() - 1).strip();
    }
}
