package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import slimbench.cli.Cli.Outcome;

/** What a user who types a command slightly wrong, or asks for help, gets back: one line, or the help asked for. */
class UsageTest {

    @Test
    void aSuiteOptionWithoutRunIsOneLineThatGivesTheRunCommand() throws Exception {
        Outcome o = Cli.main("--preset", "quick");
        assertEquals(2, o.exit(), o.err());
        assertEquals("error: --preset is an option of run: java -jar benchmarks.jar run --preset quick", o.err().strip());
        Outcome joined = Cli.main("--models=vgg_16", "--threads", "1,2");
        assertEquals("error: --models is an option of run: java -jar benchmarks.jar run --models=vgg_16 --threads 1,2",
                joined.err().strip());
        // The jar's own options and JMH's are not taken for run's.
        assertTrue(Main.route(new String[] {"-l"}, Main.commandLine()).jmh());
        assertTrue(Main.route(new String[] {"-f", "1"}, Main.commandLine()).jmh());
        assertFalse(Main.route(new String[] {"--help"}, Main.commandLine()).jmh());
    }

    @Test
    void aMissingRequiredOptionIsOneLineAndTheCommandsExample() {
        Outcome o = Cli.run("generate", "--variant", "fp16");
        assertEquals(2, o.exit(), o.err());
        assertEquals(List.of("error: generate needs --model M",
                "example: java -jar benchmarks.jar generate --model vgg_16 --variant fp16 --optimize ahead"),
                o.err().strip().lines().toList());
        assertEquals("", o.out());
    }

    @Test
    void anUnknownOptionGetsTheOneNearestName() {
        Outcome o = Cli.run("run", "--model", "x");
        assertEquals(2, o.exit(), o.err());
        assertEquals("error: unknown option '--model' of run; did you mean '--models'? "
                + "(java -jar benchmarks.jar run --help lists them)", o.err().strip());
        Outcome far = Cli.run("doctor", "--frobnicate");
        assertEquals("error: unknown option '--frobnicate' of doctor (java -jar benchmarks.jar doctor --help lists them)",
                far.err().strip());
        Outcome extra = Cli.run("doctor", "now");
        assertEquals(2, extra.exit());
        assertEquals("error: doctor takes no argument 'now' (java -jar benchmarks.jar doctor --help lists them)",
                extra.err().strip());
    }

    @Test
    void helpNamesACommandAndPrintsItsHelp() {
        Outcome o = Cli.run("help", "run");
        assertEquals(0, o.exit(), o.err());
        assertEquals(Main.commandLine().getSubcommands().get("run").getUsageMessage(), o.out());
        assertTrue(o.out().contains("Presets (--preset;"), o.out());
        Outcome top = Cli.run("help");
        assertEquals(0, top.exit(), top.err());
        assertTrue(top.out().contains("Exit codes (every command):"), top.out());
    }

    /** JMH matches benchmarks by a case-sensitive regex: a name in another case is named, not taken for a command. */
    @Test
    void aBenchmarkNameInAnotherCaseIsNamedInItsOwnCase() {
        var commands = Main.commandLine().getSubcommands().keySet();
        assertEquals(Optional.of("no command or benchmark 'Steadystate'; did you mean the benchmark 'SteadyState'? "
                + "(JMH's names are case-sensitive; java -jar benchmarks.jar -l lists them)"),
                UnknownCommand.check("Steadystate", commands));
        assertTrue(UnknownCommand.check("coldstart", commands).orElseThrow().contains("the benchmark 'ColdStart'?"));
        assertTrue(UnknownCommand.check("SteddyState", commands).orElseThrow().contains("the benchmark 'SteadyState'?"));
        assertTrue(UnknownCommand.check("rnu", commands).orElseThrow().contains("did you mean 'run'?"));
    }

    /**
     * picocli formats every help text with String.format and warns on stderr where it cannot (an
     * unescaped {@code %}); its warnings go to the stream it found at start, so the helps are
     * printed in a JVM of their own.
     */
    @Test
    void noHelpHasAPicocliWarning() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HelpPages.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Usage: java -jar benchmarks.jar doctor"), out);
        assertFalse(out.contains("[picocli WARN]"), out);
    }

    /** Every help's examples: each line as written (picocli wraps a long one, even inside an argument), each a command that parses. */
    @Test
    void everyHelpExampleIsWhole() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        CommandLine top = Main.commandLine();
        all.put("", top);
        all.putAll(top.getSubcommands());
        int examples = 0;
        for (var e : all.entrySet()) {
            String usage = e.getValue().getUsageMessage();
            List<String> rendered = usage.lines().toList();
            for (String line : e.getValue().getCommandSpec().usageMessage().footer()) {
                if (line.contains(Usage.JAR) || line.startsWith("      ")) {
                    assertTrue(rendered.contains(line), "'" + e.getKey() + "' help wraps its example line\n" + line
                            + "\ninto:\n" + usage);
                }
            }
            List<String> lines = Usage.examples(e.getValue());
            assertFalse(lines.isEmpty(), e.getKey() + " has no example");
            for (String example : lines) {
                List<String> args = CommandLines.jarArgs(example).orElseThrow(() -> new AssertionError(example));
                assertEquals(Optional.empty(), CommandLines.problem(args), example);
                examples++;
            }
        }
        System.out.println("help examples parsed: " + examples);
    }
}
