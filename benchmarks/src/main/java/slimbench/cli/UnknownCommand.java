package slimbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Tells a mistyped command from a JMH benchmark regex: a first word that names no SlimBench
 * command, is no option and matches no benchmark the way JMH matches its includes ({@code find})
 * would only reach JMH's "No matching benchmarks" (exit 1); instead it gets one line naming the
 * nearest command, or the benchmark it names in another case (JMH's regexes are case-sensitive:
 * {@code Steadystate} is {@code SteadyState}).
 */
final class UnknownCommand {
    private UnknownCommand() {}

    /** The message for {@code word}, or empty when JMH should have it. */
    static Optional<String> check(String word, Collection<String> commands) {
        if (word.startsWith("-")) {
            return Optional.empty();
        }
        Pattern p;
        try {
            p = Pattern.compile(word);
        } catch (PatternSyntaxException e) {
            return Optional.empty(); // JMH says what is wrong with its regex
        }
        Optional<List<String>> benchmarks = benchmarks();
        if (benchmarks.isEmpty() || benchmarks.get().stream().anyMatch(b -> p.matcher(b).find())) {
            return Optional.empty(); // no list to judge by (JMH reports it), or JMH's to run
        }
        Pattern anyCase = Pattern.compile(word, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        for (String b : benchmarks.get()) {
            Matcher m = anyCase.matcher(b);
            if (m.find()) {
                return Optional.of(benchmark(word, b.substring(m.start(), m.end())));
            }
        }
        // The nearest of the commands and the benchmarks' class names.
        List<String> classes = benchmarks.get().stream().map(b -> b.split("\\."))
                .filter(parts -> parts.length >= 2).map(parts -> parts[parts.length - 2]).distinct().toList();
        Comparator<String> nearness = Comparator.comparingInt((String c) -> distance(word, c));
        String command = commands.stream().min(nearness.thenComparing(Comparator.naturalOrder())).orElse("run");
        Optional<String> bench = classes.stream().min(nearness.thenComparing(Comparator.naturalOrder()));
        if (bench.isPresent() && distance(word, bench.get()) < distance(word, command)) {
            return Optional.of(benchmark(word, bench.get()));
        }
        return Optional.of("unknown command '" + word + "'; did you mean '" + command + "'? "
                + "(java -jar benchmarks.jar --help lists the commands; -l lists the JMH benchmarks)");
    }

    private static String benchmark(String word, String meant) {
        return "no command or benchmark '" + word + "'; did you mean the benchmark '" + meant + "'? "
                + "(JMH's names are case-sensitive; java -jar benchmarks.jar -l lists them)";
    }

    /** The benchmarks' full names (package.Class.method), as JMH matches its includes against them. */
    private static Optional<List<String>> benchmarks() {
        try (InputStream in = UnknownCommand.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(BenchmarkList.readBenchmarkList(in).stream().map(BenchmarkListEntry::getUsername)
                    .distinct().toList());
        } catch (IOException e) {
            return Optional.empty();
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
