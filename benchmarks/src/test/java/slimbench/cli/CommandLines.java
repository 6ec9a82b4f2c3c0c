package slimbench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine;

/**
 * Command lines as the docs and the help show them: split as a shell splits them, their jar's
 * arguments found, and parsed as the jar would route them (picocli for a SlimBench command, JMH's
 * own parser for the rest) without running anything.
 */
public final class CommandLines {
    private CommandLines() {}

    /** Where a shell command ends and the next begins, or its output is redirected. */
    private static final Set<String> SHELL_OPERATORS = Set.of("&&", "||", "|", ";", ">", ">>", "2>&1", "&");

    /**
     * The words of one shell command line, quotes removed, up to a comment ({@code #} after a
     * space) or the first operator that ends the command ({@code &&}, {@code |}, ...).
     */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                w = w == null ? new StringBuilder() : w;
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
            } else if (c == '#' && w == null) {
                break;
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(c);
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }

    /**
     * The arguments a shell line gives benchmarks.jar ({@code java [JVM options] -jar
     * PATH/benchmarks.jar ARGS}), or empty when it starts no benchmarks.jar. A line of several
     * commands ({@code mvn ... && java -jar ...}) gives the first that runs the jar.
     */
    public static Optional<List<String>> jarArgs(String line) {
        List<String> words = words(line);
        for (int i = 0; i + 1 < words.size(); i++) {
            if (!words.get(i).equals("-jar") || !words.get(i + 1).endsWith("benchmarks.jar")) {
                continue;
            }
            if (words.subList(0, i).stream().noneMatch(w -> w.equals("java") || w.endsWith("/java"))) {
                continue;
            }
            List<String> args = new ArrayList<>();
            for (String a : words.subList(i + 2, words.size())) {
                if (SHELL_OPERATORS.contains(a)) {
                    break;
                }
                args.add(a);
            }
            return Optional.of(args);
        }
        return Optional.empty();
    }

    /** What is wrong with the jar's arguments as the jar would parse them, or empty when they parse. */
    public static Optional<String> problem(List<String> args) {
        CommandLine cli = Main.commandLine();
        Main.Route route = Main.route(args.toArray(String[]::new), cli);
        if (route.error() != null) {
            return Optional.of(route.error());
        }
        try {
            if (route.jmh()) {
                new CommandLineOptions(args.toArray(String[]::new));
            } else {
                cli.parseArgs(route.args());
            }
            return Optional.empty();
        } catch (CommandLineOptionException | CommandLine.ParameterException e) {
            return Optional.of(e.getMessage());
        }
    }
}
