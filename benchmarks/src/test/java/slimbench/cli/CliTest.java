package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import slimbench.cli.Cli.Outcome;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.probe.CoreSpeed;
import slimbench.probe.MachineLoad;
import slimbench.suite.Preset;
import slimbench.suite.Suites;

/** The command line as a new user meets it: help, version, a mistyped command, doctor's load warning, log lines. */
class CliTest {
    @TempDir
    Path tmp;

    private static Outcome run(Object... args) {
        return Cli.run(args);
    }

    /** Without --runtimes a run measures both engines where ONNX Runtime loads, as it does on linux-x86_64. */
    @Test
    void theDefaultRunHasBothRuntimesWhereOnnxRuntimeLoads() {
        Optional<String> problem = slimbench.engine.OnnxRuntimeModel.loadProblem();
        assertEquals(problem.isEmpty()
                ? List.of(slimbench.model.Engine.TENSORFLOW, slimbench.model.Engine.ONNXRUNTIME)
                : List.of(slimbench.model.Engine.TENSORFLOW), RunCommand.defaultEngines(), problem.orElse(""));
        if ("amd64".equals(System.getProperty("os.arch")) || "aarch64".equals(System.getProperty("os.arch"))) {
            assertTrue(problem.isEmpty(), () -> "the jar carries ONNX Runtime's natives for this platform: " + problem);
        }
    }

    @Test
    void everyCommandsHelpHasAnExampleAndTheTopLevelListsTheExitCodes() {
        CommandLine cli = Main.commandLine();
        for (var e : cli.getSubcommands().entrySet()) {
            String usage = e.getValue().getUsageMessage();
            assertTrue(usage.contains("Example"), e.getKey() + " has no example:\n" + usage);
            assertTrue(usage.contains("java -jar benchmarks.jar " + e.getKey()), e.getKey() + ":\n" + usage);
        }
        String top = cli.getUsageMessage();
        for (String code : List.of("Exit codes (every command):", "  0 ", "  1 ", "  2 ", "  3 ", "130/143")) {
            assertTrue(top.contains(code), code + ":\n" + top);
        }
        assertTrue(top.contains("--verbose"), top);
    }

    @Test
    void runsHelpDescribesEachPresetFromThePresetsThemselves() {
        String help = Main.commandLine().getSubcommands().get("run").getUsageMessage();
        int presets = help.indexOf("Presets (--preset;");
        assertTrue(presets > 0 && presets < help.indexOf("Exit codes:"), help);
        for (Preset p : Preset.values()) {
            assertTrue(help.contains("  " + p.name().toLowerCase(java.util.Locale.ROOT) + " "), p + ":\n" + help);
        }
        // Each preset says its target and budgets, read from the preset itself.
        String flat = help.replaceAll("\\s+", " ");
        assertTrue(flat.contains("all 15 models x fp32, fp16 x ahead, on tensorflow. Each cell runs 3 forks"), flat);
        assertTrue(flat.contains("mobilenet_v1, inception_v1 x fp32, fp16 x at-load, ahead, on every engine whose natives "
                + "load. Each cell runs 3 forks, "
                + "then adds forks until its 95% interval is within +-5% of its mean or its budget (cold 10 s, steady "
                + "15 s) is spent."), flat);
        assertTrue(flat.contains("within +-2% of its mean or its budget (cold 120 s, steady 300 s) is spent. Steady "
                + "forks: 2 warm-up + 5 measured iteration(s) of >= 1000 ms, on the fastest thread count within the budget "
                + "(--choose-threads)."), flat);
        assertTrue(flat.contains("of >= 500 ms, on exactly the thread budget."), flat);
        assertTrue(flat.contains("the commands that take one model default to at-load"), flat);
    }

    @Test
    void versionNamesSlimBenchTensorFlowAndJmh() {
        Outcome o = run("-V");
        assertEquals(0, o.exit(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(3, lines.size(), o.out());
        assertTrue(lines.get(0).startsWith("SlimBench "), o.out());
        assertTrue(lines.get(1).matches("TensorFlow 2\\.\\d+\\.\\d+ \\(TensorFlow Java \\d+\\.\\d+\\.\\d+, native linux-.*\\)"),
                o.out());
        assertEquals("JMH " + org.openjdk.jmh.util.Version.getPlainVersion(), lines.get(2));
    }

    @Test
    void aMistypedCommandNamesTheNearestAndExitsWithTwo() throws Exception {
        var commands = Main.commandLine().getSubcommands().keySet();
        assertEquals(Optional.of("unknown command 'rnu'; did you mean 'run'? (java -jar benchmarks.jar --help lists the "
                + "commands; -l lists the JMH benchmarks)"), UnknownCommand.check("rnu", commands));
        assertTrue(UnknownCommand.check("dif", commands).orElseThrow().contains("did you mean 'diff'?"));
        assertTrue(UnknownCommand.check("doctr", commands).orElseThrow().contains("did you mean 'doctor'?"));
        // What JMH should still get: its options and regexes that name a benchmark.
        assertEquals(Optional.empty(), UnknownCommand.check("SteadyState", commands));
        assertEquals(Optional.empty(), UnknownCommand.check(".*Cold.*", commands));
        assertEquals(Optional.empty(), UnknownCommand.check("-l", commands));
        assertEquals(2, Main.run(new String[] {"rnu", "--preset", "quick"}));
    }

    @Test
    void checkTakesScaleAndKeepsTheOldScaledSpelling() {
        for (List<String> args : List.of(List.of("--scale", "tiny"), List.of("--scaled"))) {
            List<Object> all = new ArrayList<>(List.of("check", "--model", "mobilenet_v1"));
            all.addAll(args);
            Outcome o = run(all.toArray());
            assertEquals(0, o.exit(), args + ": " + o.err() + o.out());
            assertTrue(o.out().contains("check OK mobilenet_v1 fp32 at-load (scaled)"), o.out());
        }
        Outcome both = run("check", "--scaled", "--scale", "107:0.25:10");
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().startsWith("error: --scaled is --scale tiny: it contradicts --scale 107:0.25:10"), both.err());
    }

    /** A child that spins a core for the whole sample: doctor must see it and warn. */
    @Test
    void doctorWarnsWhenAnotherProcessKeepsTheMachineBusy() throws Exception {
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Outcome o = run("doctor");
            assertEquals(0, o.exit(), o.err());
            assertTrue(o.out().lines().anyMatch(l -> l.startsWith("Load:      other processes used ")), o.out());
            assertTrue(o.out().contains("WARNING: the machine is busy: other processes use "), o.out());
            assertTrue(o.out().contains("its cells are marked *disturbed*"), o.out());
        } finally {
            spinner.destroyForcibly();
            assertTrue(spinner.waitFor(10, TimeUnit.SECONDS));
        }
        Suites.assertNoDescendants();
    }

    /**
     * The quiet path, deterministic on a shared machine: a /proc whose counters do not move between
     * the two readings (a recorded tree) is a machine nobody else uses; and the threshold is the
     * one that marks a cell disturbed, 10% of the cores.
     */
    @Test
    void aQuietMachineGetsNoWarning() throws Exception {
        Path proc = Files.createDirectories(tmp.resolve("proc/self"));
        Files.writeString(tmp.resolve("proc/stat"), "cpu  1000 0 500 80000 10 0 5 0 0 0\ncpu0 500 0 250 40000 5 0 3 0 0 0\n"
                + "cpu1 500 0 250 40000 5 0 2 0 0 0\n");
        Files.writeString(proc.resolve("stat"), "4242 (java) S 1 4242 4242 0 -1 4194304 100 0 0 0 120 30 0 0 20 0 30 0 "
                + "100 1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        Files.writeString(tmp.resolve("proc/loadavg"), "0.12 0.10 0.05 1/200 4242\n");
        Optional<MachineLoad.Share> quiet = MachineLoad.sample(tmp.resolve("proc"), Duration.ofMillis(50));
        assertEquals(0.0, quiet.orElseThrow().othersCores(), 1e-9);
        List<String> verdict = DoctorCommand.loadVerdict(quiet, Duration.ofMillis(1200));
        assertEquals(List.of("Load:      other processes used 0.00 of 2 cores over the last 1.2 s; load average 0.12: "
                + "quiet enough for a run"), verdict);

        // doctor itself, reading that /proc: no warning.
        String before = System.getProperty("slimbench.proc");
        System.setProperty("slimbench.proc", tmp.resolve("proc").toString());
        try {
            Outcome o = run("doctor");
            assertEquals(0, o.exit(), o.err());
            assertTrue(o.out().lines().anyMatch(l -> l.matches("Load:      other processes used 0\\.00 of 2 cores over the "
                    + "last 1\\.\\d s; load average 0\\.12: quiet enough for a run")), o.out());
            assertFalse(o.out().contains("WARNING: the machine is busy"), o.out());
            // This VM's own speed is what it is: doctor says it either way.
            assertTrue(o.out().lines().anyMatch(l -> l.matches("Speed:     one core's speed \\(a 128x128 float matmul, "
                    + "again and again\\): p10 [\\d.]+, p50 [\\d.]+, p90 [\\d.]+ ms \\(\\+\\d+%\\) over 1 s, \\d+ matmuls.*")),
                    o.out());
        } finally {
            if (before == null) {
                System.clearProperty("slimbench.proc");
            } else {
                System.setProperty("slimbench.proc", before);
            }
        }

        assertFalse(String.join("\n", DoctorCommand.loadVerdict(Optional.of(new MachineLoad.Share(0.19, 2, 0.5)), CoreSpeed.WINDOW))
                .contains("WARNING"));
        assertTrue(String.join("\n", DoctorCommand.loadVerdict(Optional.of(new MachineLoad.Share(0.21, 2, 0.5)), CoreSpeed.WINDOW))
                .contains("WARNING: the machine is busy: other processes use 0.21 cores, more than the 0.20 (10% of 2)"));
        assertEquals(List.of("Load:      unknown (no /proc/stat here): a run cannot mark disturbed cells either"),
                DoctorCommand.loadVerdict(MachineLoad.sample(tmp.resolve("no-proc"), Duration.ofMillis(1)), CoreSpeed.WINDOW));
    }

    private static final Optional<MachineLoad.Share> QUIET = Optional.of(new MachineLoad.Share(0.01, 2, 0.1));

    /** The speed verdict's threshold is a disturbed cell's: 10%. */
    @Test
    void aMachineWhoseSpeedMovesByItselfGetsAWarning() {
        assertEquals(List.of("Speed:     one core's speed (a 128x128 float matmul, again and again): p10 0.600, p50 0.620, "
                + "p90 0.650 ms (+8%) over 1 s, 1500 matmuls: steady"),
                DoctorCommand.speedVerdict(new CoreSpeed(0.600, 0.620, 0.650, 1500, CoreSpeed.WINDOW), QUIET));
        List<String> moving = DoctorCommand.speedVerdict(new CoreSpeed(0.600, 0.690, 0.800, 1400, CoreSpeed.WINDOW), QUIET);
        assertEquals(2, moving.size(), moving.toString());
        assertTrue(moving.get(1).startsWith("WARNING: this machine's speed moves by itself: the slowest tenth of the same "
                + "computation took 33% longer than the fastest, more than the 10% a disturbed cell is marked at"), moving.get(1));
    }

    /** Busy others and a moving speed over the same second: the speed warning names them, never "no other process". */
    @Test
    void doctorsSpeedWarningReadsTheSameLoadAsItsLoadLine() {
        CoreSpeed moving = new CoreSpeed(0.600, 0.690, 0.800, 1400, CoreSpeed.WINDOW);
        Optional<MachineLoad.Share> busy = Optional.of(new MachineLoad.Share(1.50, 2, 2.1));
        List<String> load = DoctorCommand.loadVerdict(busy, CoreSpeed.WINDOW);
        assertTrue(load.get(0).startsWith("Load:      other processes used 1.50 of 2 cores"), load.toString());
        String speed = String.join("\n", DoctorCommand.speedVerdict(moving, busy));
        assertFalse(speed.contains("no other process"), speed);
        assertFalse(speed.contains("by itself"), speed);
        assertTrue(speed.contains("while other processes used 1.50 of 2 cores (Load, above)"), speed);
        String unknown = String.join("\n", DoctorCommand.speedVerdict(moving, Optional.empty()));
        assertFalse(unknown.contains("no other process to show for it"), unknown);
    }

    /** check holds a cell to the judgement run records it by: tftrt-fp16 on TensorFlow Java is UNSUPPORTED in both. */
    @Test
    void checkSaysUnsupportedWhereRunRecordsTheCellUnsupported() {
        Outcome o = run("check", "--model", "mobilenet_v1", "--scale", "tiny", "--variant", "tftrt-fp16");
        String reason;
        try {
            slimbench.bench.ModelState.requireRunnable(new slimbench.model.CellSpec(slimbench.model.Model.MOBILENET_V1,
                    null, slimbench.model.Variant.TFTRT_FP16, slimbench.model.Optimize.AT_LOAD, slimbench.model.Scale.TINY,
                    0, slimbench.model.Mode.STEADY, slimbench.model.Engine.TENSORFLOW));
            reason = null;
        } catch (UnsupportedOperationException e) {
            reason = e.getMessage();
        }
        if (reason == null) {
            assertEquals(0, o.exit(), "this TensorFlow registers TRTEngineOp: " + o.out());
            return;
        }
        assertEquals(1, o.exit(), o.out() + o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("check UNSUPPORTED mobilenet_v1 tftrt-fp16: " + reason, lines.get(lines.size() - 1));
        assertTrue(reason.contains("TRTEngineOp") || reason.startsWith("GPU cell on "), reason);
    }

    /** A resume of a run whose every cell has ended runs nothing, measures nothing, writes nothing: it says so. */
    @Test
    void resumingAFinishedRunOnlySaysSo() throws Exception {
        slimbench.suite.SuiteOptions o = Suites.Spec.tiny(tmp.resolve("cache"), tmp.resolve("reports"))
                .modes(slimbench.model.Mode.COLD.label()).options();
        Path dir;
        try (slimbench.suite.RunDirectory rd = slimbench.suite.RunDirectory.create(tmp.resolve("reports"), "host")) {
            dir = rd.dir();
            o.writeRecord(dir);
            rd.append(List.of(new slimbench.suite.ResultRow(slimbench.suite.Cell.of(o.cells().get(0)), "total", 12.5,
                    Double.NaN, "ms", 1, slimbench.suite.Status.OK, "", "none")));
        }
        List<Path> before;
        try (var files = Files.walk(dir)) {
            before = files.sorted().toList();
        }
        String lock = Files.readString(dir.resolve("run.lock"));
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        Outcome resumed;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            resumed = run("run", "--resume", dir);
        } finally {
            System.setOut(stdout);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, resumed.exit(), said + resumed.err());
        assertEquals(List.of("nothing to resume: every cell of " + dir + " has ended (1 cells: 1 OK)",
                "next: java -jar benchmarks.jar report " + dir.resolve("results.csv")), said.lines().toList());
        try (var files = Files.walk(dir)) {
            assertEquals(before, files.sorted().toList(), "no conditions-2.csv, no logs: nothing written");
        }
        assertEquals(lock, Files.readString(dir.resolve("run.lock")));
    }

    /**
     * TensorFlow's INFO lines ("oneDNN custom operations are on", "This TensorFlow binary is
     * optimized ...") are off in a fresh JVM that was given no TF_CPP_MIN_LOG_LEVEL, and back with
     * --verbose. Abseil's one MLIR line is not TensorFlow's level to set (see TensorFlowLog).
     */
    @Test
    void tensorFlowsLogLinesAreOffUnlessVerbose() throws Exception {
        String quiet = jvm("check", "--model", "mobilenet_v1", "--scale", "tiny");
        assertTrue(quiet.contains("check OK mobilenet_v1"), quiet);
        assertFalse(quiet.contains("I tensorflow/"), quiet);
        String verbose = jvm("check", "--model", "mobilenet_v1", "--scale", "tiny", "--verbose");
        assertTrue(verbose.contains("I tensorflow/"), verbose);
    }

    private String jvm(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(TensorFlowLog.LEVEL);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
