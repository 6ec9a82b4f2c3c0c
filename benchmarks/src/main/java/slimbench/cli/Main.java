package slimbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of benchmarks.jar. SlimBench's own commands are picocli subcommands; an argument
 * list that starts with anything else (a JMH option such as {@code -l} or {@code -prof}, or a
 * benchmark regex) goes to JMH's own {@code Main} unchanged, so the jar behaves like every JMH jar.
 */
@Command(name = "benchmarks.jar", mixinStandardHelpOptions = true, version = "SlimBench 0.1.0",
        description = "TF-slim classifiers on TensorFlow Java: cold start, steady state and memory pressure.",
        subcommands = {})
public final class Main {
    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        CommandLine cli = new CommandLine(new Main());
        if (args.length > 0 && !cli.getSubcommands().containsKey(args[0])
                && !args[0].equals("--help") && !args[0].equals("--version")) {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }
        return cli.execute(args);
    }
}
