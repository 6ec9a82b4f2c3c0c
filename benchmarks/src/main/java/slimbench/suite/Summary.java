package slimbench.suite;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the cells of a run ended, one count per status: the closing line of a run, and its exit
 * code. A cell counts once, by its latest status; a cell with no row yet is {@code missing}.
 */
public record Summary(Map<Status, Integer> counts, int missing) {
    public Summary {
        counts = Map.copyOf(counts);
    }

    public static Summary of(List<ResultRow> rows, List<Cell> cells) {
        Map<String, Status> latest = new LinkedHashMap<>();
        rows.forEach(r -> latest.put(r.key(), r.status()));
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        int missing = 0;
        for (Cell c : cells) {
            Status s = latest.get(c.key());
            if (s == null) {
                missing++;
            } else {
                counts.merge(s, 1, Integer::sum);
            }
        }
        return new Summary(counts, missing);
    }

    /**
     * Whether the run answered every cell: OK, or UNSUPPORTED (this device cannot run the variant,
     * which is an answer about the device, not a failure of the run).
     */
    public boolean complete() {
        return missing == 0 && counts.keySet().stream().allMatch(s -> s == Status.OK || s == Status.UNSUPPORTED);
    }

    /** e.g. {@code 10 cells: 8 OK, 1 TIMEOUT, 1 ERROR}. */
    public String line() {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum() + missing;
        String parts = new EnumMap<>(counts).entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return total + " cells: " + (parts.isEmpty() ? "none run" : parts)
                + (missing > 0 ? ", " + missing + " not run" : "");
    }
}
