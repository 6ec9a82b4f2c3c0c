package slimbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Tells a mistyped command from a JMH benchmark regex: a first word that names no SlimBench
 * command, is no option and matches no benchmark the way JMH matches its includes ({@code find})
 * would only reach JMH's "No matching benchmarks" (exit 1); instead it gets one line naming the
 * nearest command.
 */
final class UnknownCommand {
    private UnknownCommand() {}

    /** The message for {@code word}, or empty when JMH should have it. */
    static Optional<String> check(String word, Collection<String> commands) {
        if (word.startsWith("-") || matchesABenchmark(word)) {
            return Optional.empty();
        }
        String nearest = commands.stream().min(Comparator.comparingInt((String c) -> distance(word, c))
                .thenComparing(Comparator.naturalOrder())).orElse("run");
        return Optional.of("unknown command '" + word + "'; did you mean '" + nearest + "'? "
                + "(java -jar benchmarks.jar --help lists the commands; -l lists the JMH benchmarks)");
    }

    private static boolean matchesABenchmark(String word) {
        Pattern p;
        try {
            p = Pattern.compile(word);
        } catch (PatternSyntaxException e) {
            return true; // JMH says what is wrong with its regex
        }
        try (InputStream in = UnknownCommand.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            if (in == null) {
                return true; // no benchmark list to judge by: JMH reports it
            }
            List<BenchmarkListEntry> all = BenchmarkList.readBenchmarkList(in);
            return all.stream().anyMatch(e -> p.matcher(e.getUsername()).find());
        } catch (IOException e) {
            return true;
        }
    }

    /** Levenshtein distance, case-insensitive: {@code rnu} is 2 from {@code run}. */
    static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int swap = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + swap);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
