package slimbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import slimbench.natives.NativeLoad;

/**
 * Entry point of benchmarks.jar. SlimBench's own commands are picocli subcommands; with no
 * arguments the default suite runs; an argument list that starts with a JMH option (such as
 * {@code -l}, {@code -p} or {@code -prof}) or a regex that names a benchmark goes to JMH's own
 * {@code Main} unchanged, so the jar behaves like every JMH jar. Any other first word is a mistyped
 * command: one line naming the nearest, exit 2.
 *
 * <p>Exit codes, for every command: 0 done, 1 failed (I/O, a failed check), 2 bad input or usage;
 * {@code run} also 3 when the run ended but some cell was not OK (see its help).
 */
@Command(name = "java -jar benchmarks.jar", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "TF-slim classifiers on TensorFlow Java: cold start, steady state and memory pressure.",
        subcommands = {RunCommand.class, ModelsCommand.class, GenerateCommand.class, AccuracyCommand.class,
                CheckCommand.class, DoctorCommand.class, OverheadCommand.class, ProfileCommand.class, ReportCommand.class,
                DiffCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes (every command):%n",
        exitCodeList = {"0:done", "1:failed: I/O, a failed check or guard, a run that could not go on",
                "2:bad input or usage (one line starting error:), an unknown command",
                "3:run only: the run ended but some cell failed or did not run",
                "130/143:run only: stopped by Ctrl-C / SIGTERM (--resume finishes it)"},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar doctor              # is this machine ready, quiet?",
                "  java -jar benchmarks.jar run --preset quick  # a smoke test: a few minutes",
                "  java -jar benchmarks.jar                     # the default suite: run --help",
                "  java -jar benchmarks.jar diff fixtures/reference/blog-2019-tftrt.csv \\",
                "      reports/HOST/RUN/results.csv",
                "  java -jar benchmarks.jar help run",
                "Anything else is passed to JMH unchanged, e.g. -l, -h, -lprof, or:",
                "  java -jar benchmarks.jar SteadyState -p model=resnet_v1_50 -f 1"})
public final class Main {
    static final String VERBOSE = "--verbose";
    private static final Set<String> OWN = Set.of("--help", "-help", "help", "--version", "-V", VERBOSE);

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "Show TensorFlow's INFO and WARNING log lines (off by default, in every process).")
    boolean verbose;

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        TensorFlowLog.configure(Arrays.asList(args).contains(VERBOSE));
        return run(args, commandLine());
    }

    /** Runs {@code args} as the jar does, on {@code cli} (whose streams a test may set). */
    static int run(String[] args, CommandLine cli) throws Exception {
        Route route = route(args, cli);
        if (route.error() != null) {
            cli.getErr().println("error: " + route.error());
            cli.getErr().flush();
            return 2;
        }
        if (route.jmh()) {
            org.openjdk.jmh.Main.main(args); // exits by itself on failure, as every JMH jar does
            return 0;
        }
        return cli.execute(route.args());
    }

    /**
     * Where the jar sends an argument list: to a SlimBench command ({@code args}, as picocli gets
     * them), to JMH unchanged, or nowhere, with the one line that says why ({@code error}).
     */
    record Route(String[] args, boolean jmh, String error) {}

    static Route route(String[] args, CommandLine cli) {
        if (args.length == 0 || args.length == 1 && args[0].equals(VERBOSE)) {
            return new Route(Stream.concat(Stream.of("run"), Arrays.stream(args)).toArray(String[]::new), false, null);
        }
        if (cli.getSubcommands().containsKey(args[0]) || OWN.contains(args[0])) {
            return new Route(args, false, null);
        }
        String option = args[0].split("=", 2)[0];
        CommandLine.Model.OptionSpec ofRun = cli.getSubcommands().get("run").getCommandSpec().findOption(option);
        if (option.startsWith("--") && ofRun != null && !ofRun.usageHelp() && !ofRun.versionHelp()) {
            // JMH would say "preset is not a recognized option": the user forgot the command.
            return new Route(args, false, option + " is an option of run: " + Usage.JAR + " run " + String.join(" ",
                    Arrays.stream(args).map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
        }
        Optional<String> unknown = UnknownCommand.check(args[0], cli.getSubcommands().keySet());
        return unknown.map(u -> new Route(args, false, u)).orElseGet(() -> new Route(args, true, null));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        CommandLine run = cli.getSubcommands().get("run");
        run.getHelpSectionMap().put("presets", help -> PresetHelp.text());
        List<String> keys = new ArrayList<>(run.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), "presets");
        run.setHelpSectionKeys(keys);
        cli.getSubcommands().get("help").getCommandSpec().usageMessage().footerHeading("%nExample:%n")
                .footer("  " + Usage.JAR + " help run");
        return cli
                .setParameterExceptionHandler(Usage::badUsage)
                .setExecutionStrategy(Main::loadTensorFlowFirst)
                .setExecutionExceptionHandler((e, failed, parsed) -> {
                    failed.getErr().println("error: " + message(e));
                    failed.getErr().flush();
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
