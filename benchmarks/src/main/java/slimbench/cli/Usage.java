package slimbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli could not parse, said in one line instead of picocli's page of usage: an
 * unknown option with the one nearest name, a missing option with the command's first example.
 * The examples are the ones its help ends with (lines of its footer), so they are the ones tested.
 */
final class Usage {
    private Usage() {}

    /** How the jar's commands are spelled in every example. */
    static final String JAR = "java -jar benchmarks.jar";

    /** picocli's handler of a command line that does not parse: exit 2. */
    static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + problem(e));
        if (e instanceof MissingParameterException) {
            examples(cmd).stream().findFirst().ifPresent(x -> err.println("example: " + x));
        }
        err.flush();
        return 2;
    }

    static String problem(ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandName();
        String help = "(" + JAR + (cmd.getParent() == null ? "" : " " + name) + " --help lists them)";
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (!u.isUnknownOption()) {
                return name + " takes no argument '" + word + "' " + help;
            }
            String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            return nearestOption(cmd, option)
                    .map(n -> "unknown option '" + option + "' of " + name + "; did you mean '" + n + "'? " + help)
                    .orElse("unknown option '" + option + "' of " + name + " " + help);
        }
        if (e instanceof MissingParameterException m) {
            return name + " needs " + m.getMissing().stream().map(Usage::spelled).collect(Collectors.joining(" and "));
        }
        return e.getMessage();
    }

    /** The option of {@code cmd} nearest to a mistyped one, if one is near enough to be what was meant. */
    static Optional<String> nearestOption(CommandLine cmd, String typed) {
        return cmd.getCommandSpec().options().stream().filter(o -> !o.hidden()).map(OptionSpec::longestName)
                .min(Comparator.comparingInt((String n) -> UnknownCommand.distance(typed, n))
                        .thenComparing(Comparator.naturalOrder()))
                .filter(n -> UnknownCommand.distance(typed, n) <= Math.max(2, typed.length() / 3));
    }

    private static String spelled(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() + " " + o.paramLabel() : a.paramLabel();
    }

    /**
     * The examples a command's help ends with, each as one command line: footer lines that start
     * with {@value #JAR}, joined with the lines they continue onto (a trailing {@code \}), with a
     * trailing {@code # comment} dropped.
     */
    static List<String> examples(CommandLine cmd) {
        List<String> examples = new ArrayList<>();
        StringBuilder current = null;
        for (String line : cmd.getCommandSpec().usageMessage().footer()) {
            String text = line.strip();
            if (current == null && !text.startsWith(JAR)) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
            }
            boolean continues = text.endsWith("\\");
            current.append(current.isEmpty() ? "" : " ").append(continues ? text.substring(0, text.length() - 1).strip() : text);
            if (!continues) {
                String example = current.toString();
                int comment = example.indexOf(" #");
                examples.add((comment < 0 ? example : example.substring(0, comment)).strip());
                current = null;
            }
        }
        return examples;
    }
}
