package slimbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import slimbench.natives.NativeLoad;

/**
 * Entry point of benchmarks.jar. SlimBench's own commands are picocli subcommands; with no
 * arguments the default suite runs; an argument list that starts with anything else (a JMH option
 * such as {@code -l}, {@code -p} or {@code -prof}, or a benchmark regex) goes to JMH's own
 * {@code Main} unchanged, so the jar behaves like every JMH jar.
 *
 * <p>Exit codes, for every command: 0 done, 1 failed (I/O, a failed check), 2 bad input or usage;
 * {@code run} also 3 when the run ended but some cell was not OK (see its help).
 */
@Command(name = "java -jar benchmarks.jar", mixinStandardHelpOptions = true, version = "SlimBench 0.1.0",
        description = "TF-slim classifiers on TensorFlow Java: cold start, steady state and memory pressure.",
        subcommands = {RunCommand.class, ModelsCommand.class, GenerateCommand.class, AccuracyCommand.class,
                CheckCommand.class, DoctorCommand.class, OverheadCommand.class, ProfileCommand.class, ReportCommand.class,
                DiffCommand.class},
        footer = {"", "Anything else is passed to JMH unchanged, e.g. -l, -h, -lprof, or:",
                "  java -jar benchmarks.jar SteadyState -p model=resnet_v1_50 -p variant=bf16 -f 1"})
public final class Main {
    private static final Set<String> OWN = Set.of("--help", "-help", "help", "--version", "-V");

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        CommandLine cli = commandLine();
        if (args.length == 0) {
            return cli.execute("run");
        }
        if (!cli.getSubcommands().containsKey(args[0]) && !OWN.contains(args[0])) {
            org.openjdk.jmh.Main.main(args); // exits by itself on failure, as every JMH jar does
            return 0;
        }
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionStrategy(Main::loadTensorFlowFirst)
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    cli.getErr().println("error: " + message(e));
                    cli.getErr().flush();
                    return exitCode(e);
                });
    }

    /** Marks a command that needs TensorFlow's natives: they are loaded before it runs. */
    interface UsesTensorFlow {}

    /**
     * Loads TensorFlow's natives before a command that uses them, so that a system that cannot load
     * them gets one line and exit 2 ({@link NativeLoad}) instead of a stack trace from deep inside
     * the command. {@code run} and {@code doctor} ask for themselves: they go on without TensorFlow.
     */
    private static int loadTensorFlowFirst(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        boolean help = leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
        if (!help && leaf.commandSpec().userObject() instanceof UsesTensorFlow) {
            try {
                NativeLoad.require();
            } catch (NativeLoad.Failure e) {
                throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** The one place failures become exit codes: bad input 2, anything else 1. */
    static int exitCode(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException ? 2 : 1;
    }

    static String message(Throwable e) {
        // Our own wrappers name the file ("cannot append results to F: No space left on device"); a bare
        // one says only what its cause says, and then the cause's message is the one to show.
        if (e instanceof UncheckedIOException u && (u.getMessage() == null
                || u.getMessage().equals(String.valueOf(u.getCause())))) {
            e = u.getCause();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() || e instanceof IOException && !(m.contains(" "))
                ? e.getClass().getSimpleName() + (m == null ? "" : ": " + m) : m;
    }
}
