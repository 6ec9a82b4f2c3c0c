package slimbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/**
 * The jar's command line run in the test's JVM, as a user meets it: the arguments (any objects,
 * spelled by {@code toString}) through {@link Main#commandLine()}, so errors map to exit codes and
 * one-line messages exactly as they do from {@code java -jar}.
 */
public final class Cli {
    private Cli() {}

    /** What a command left: its exit code and everything it printed to each stream. */
    public record Outcome(int exit, String out, String err) {}

    public static Outcome run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Outcome(exit, out.toString(), err.toString());
    }

    /**
     * The same through the jar's own entry, as {@code java -jar benchmarks.jar ARGS} routes them
     * (no arguments, a word that is no command, an option without its command); only for
     * arguments that stay with SlimBench, since JMH's main exits the JVM.
     */
    public static Outcome main(Object... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(Arrays.stream(args).map(String::valueOf).toArray(String[]::new),
                Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)));
        return new Outcome(exit, out.toString(), err.toString());
    }
}
