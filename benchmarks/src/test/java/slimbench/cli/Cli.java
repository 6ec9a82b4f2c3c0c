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
}
