package slimbench.report;

import java.util.ArrayList;
import java.util.List;

/** The run a {@code diff --baseline} names, so that every ratio is taken against it. */
public final class Baseline {
    private Baseline() {}

    /**
     * The index of the run a {@code --baseline} names: its letter (A, B, ...), its label, or the last
     * part of its label (a reference machine: {@code jetson_nano}).
     *
     * @throws IllegalArgumentException naming the runs when none, or several, match
     */
    public static int index(List<Run> runs, String name) {
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String label = runs.get(i).label();
            if (Diff.letter(i).equalsIgnoreCase(name) || label.equals(name) || label.endsWith("/" + name)) {
                matches.add(i);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> named = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            named.add(Diff.letter(i) + " = " + runs.get(i).label());
        }
        throw new IllegalArgumentException("--baseline " + name + (matches.isEmpty() ? " names no run" : " names several runs")
                + "; give a letter or a label: " + String.join(", ", named));
    }

}
