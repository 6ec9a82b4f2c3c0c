package slimbench.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Listing sysfs folders without ever throwing: an absent folder is an absent source. */
final class Dirs {

    /** Numeric order for numbered entries, so that thermal_zone10 follows thermal_zone9. */
    private static final Comparator<Path> NATURAL = Comparator
        .comparing((Path p) -> p.getFileName().toString().replaceAll("\\d+$", ""))
        .thenComparingLong(p -> trailingNumber(p.getFileName().toString()))
        .thenComparing(p -> p.getFileName().toString());

    private Dirs() {
    }

    /** The entries of {@code dir} matching {@code glob}, in natural order; empty when unreadable. */
    static List<Path> list(Path dir, String glob) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(entries::add);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        entries.sort(NATURAL);
        return entries;
    }

    private static long trailingNumber(String name) {
        String digits = name.replaceAll("^.*?(\\d*)$", "$1");
        return digits.isEmpty() || digits.length() > 18 ? -1 : Long.parseLong(digits);
    }
}
