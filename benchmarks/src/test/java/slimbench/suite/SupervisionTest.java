package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * A run's own life cycle: a torn results file, two writers on one run directory, the runner
 * killed with SIGKILL, and the closing summary and exit code.
 */
class SupervisionTest {
    @TempDir
    static Path cache;

    @TempDir
    Path out;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
        Suites.assertNoProcessMentions(out.toString());
    }

    private static ResultRow row(String mode, String metric, String message) {
        return new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 0, Mode.of(mode)), metric, 1.5, Double.NaN, "ms", 1,
                Status.OK, message, "none");
    }

    private static String csvLines(List<ResultRow> rows) throws IOException {
        Path tmp = Files.createTempFile("rows", ".csv");
        try {
            Files.delete(tmp);
            ResultsCsv.append(tmp, rows);
            String s = Files.readString(tmp);
            return s.substring(s.indexOf('\n') + 1); // without the header
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void aCellTornMidWayIsCutBackBeforeAnythingIsAppended() throws IOException {
        Path dir = Files.createDirectories(out.resolve("host/run"));
        try (RunDirectory rd = RunDirectory.open(dir)) {
            rd.append(List.of(row(Mode.COLD.label(), "total", ""), row(Mode.COLD.label(), "read", "")));
        }
        String complete = Files.readString(dir.resolve("results.csv"));
        // A steady cell's write cut short: two whole rows, then a third torn inside its quoted message.
        String steady = csvLines(List.of(row(Mode.STEADY.label(), "avg", ""), row(Mode.STEADY.label(), "p50", ""),
                row(Mode.STEADY.label(), "p99", "a, quoted message")));
        Files.writeString(dir.resolve("results.csv"), steady.substring(0, steady.indexOf("a, quoted") + 3),
                StandardOpenOption.APPEND);

        try (RunDirectory rd = RunDirectory.open(dir)) {
            assertEquals(java.util.Set.of("mobilenet_v1/fp32/at-load/0/cold"), rd.done(), "the torn cell is not done");
            assertEquals(1, rd.repairs().size(), rd.repairs().toString());
            assertTrue(rd.repairs().get(0).matches(".*results.csv: cut \\d+ bytes after the last complete cell.*"),
                    rd.repairs().get(0));
            assertEquals(complete, Files.readString(dir.resolve("results.csv")), "cut back to the last whole cell");
            rd.append(List.of(row(Mode.STEADY.label(), "avg", "")));
        }
        ResultsCsv.Contents c = ResultsCsv.readAll(dir.resolve("results.csv"));
        assertEquals(List.of(), c.torn());
        assertEquals(3, c.rows().size(), c.rows().toString());
        assertEquals(1.5, c.rows().get(2).score());
        System.out.println("outcome torn cell: " + "cut back, resumed cleanly");
    }

    @Test
    void aLegacyResultsFileWithATornTailIsCutAtItsLastLine() throws IOException {
        Path dir = Files.createDirectories(out.resolve("host/legacy"));
        Path csv = dir.resolve("results.csv");
        ResultsCsv.append(csv, List.of(row(Mode.COLD.label(), "total", "")));
        String before = Files.readString(csv);
        Files.writeString(csv, "mobilenet_v1,fp32,at-load,0,steady,avg,1.0,,ms,1,OK,\"cut", StandardOpenOption.APPEND);
        try (RunDirectory rd = RunDirectory.open(dir)) {
            assertEquals(java.util.Set.of("mobilenet_v1/fp32/at-load/0/cold"), rd.done());
            assertEquals(before, Files.readString(csv));
            rd.append(List.of(row(Mode.STEADY.label(), "avg", "")));
        }
        assertEquals(2, ResultsCsv.read(csv).size(), "the next row is not glued onto the fragment");
    }

    @Test
    void theReaderSkipsATornLineWithAnOpenQuoteAndKeepsEveryLaterRow() throws IOException {
        String header = String.join(",", ResultRow.COLUMNS) + "\r\n";
        String rows = csvLines(List.of(row(Mode.STEADY.label(), "avg", "fine"), row(Mode.STEADY.label(), "p50", "")));
        // An old resume glued new rows after a fragment that opened a quote.
        Path csv = Files.writeString(out.resolve("results.csv"), header + csvLines(List.of(row(Mode.COLD.label(), "total", "")))
                + "mobilenet_v1,fp32,at-load,0,cold,read,1.0,,ms,1,OK,\"cut\r\n" + rows);
        ResultsCsv.Contents c = ResultsCsv.readAll(csv);
        assertEquals(3, c.rows().size(), c.rows().toString());
        assertEquals(List.of(2, 4, 5), c.lines());
        assertEquals(1, c.torn().size());
        assertTrue(c.torn().get(0).startsWith("the run was interrupted: results.csv line 3 is torn and was skipped"),
                c.torn().get(0));
    }

    @Test
    void aMalformedRowIsNamedByItsLine() throws IOException {
        Path csv = Files.writeString(out.resolve("bad.csv"), String.join(",", ResultRow.COLUMNS) + "\r\n"
                + csvLines(List.of(row(Mode.COLD.label(), "total", ""))) + "mobilenet_v1,fp32,at-load,zero,cold,total,1,,ms,1,OK,,,tensorflow,0,0\r\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(csv));
        assertTrue(e.getMessage().startsWith(csv + " line 3: malformed row"), e.getMessage());
    }

    @Test
    void oneWriterPerRunDirectoryAndNamesThatNeverCollide() throws Exception {
        Path root = out.resolve("reports");
        Path held;
        try (RunDirectory a = RunDirectory.create(root, "host"); RunDirectory b = RunDirectory.create(root, "host")) {
            held = a.dir();
            assertNotEquals(a.dir(), b.dir(), "two runs started in the same second get two directories");
            IOException same = assertThrows(IOException.class, () -> RunDirectory.open(a.dir()));
            assertTrue(same.getMessage().startsWith("another SlimBench (pid " + ProcessHandle.current().pid()
                    + ") is writing the run directory " + a.dir()), same.getMessage());

            // Another process, as a second `run --resume` of the same directory would be.
            ResultsCsv.append(a.dir().resolve("results.csv"), List.of(row(Mode.COLD.label(), "total", "")));
            Process second = FaultsTest.cli(List.of("run", "--resume", a.dir().toString(), "--scale", "tiny",
                    "--models", "mobilenet_v1", "--variants", "fp32", "--optimize", "at-load", "--modes", "cold",
                    "--no-probes", "--cache", cache.toString()), out.resolve("second.log"));
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(out.resolve("second.log")).strip();
            assertEquals(1, second.exitValue(), log);
            assertEquals("error: another SlimBench (pid " + ProcessHandle.current().pid()
                    + ") is writing the run directory " + a.dir() + ": let it finish, or stop it first", log);
            System.out.println("outcome second writer: exit 1, " + log);
        }
        try (RunDirectory again = RunDirectory.open(held)) {
            assertEquals(java.util.Set.of("mobilenet_v1/fp32/at-load/0/cold"), again.done(), "released on close");
        }
    }

    @Test
    void theCellHostAndItsForkDieWithAKilledRunner() throws Exception {
        Path root = out.resolve("reports");
        Process runner = FaultsTest.cli(List.of("run", "--runtimes", "tensorflow", "--threads", "1", "--preset", "quick", "--scale", "tiny", "--models",
                "mobilenet_v1", "--variants", "fp32", "--optimize", "at-load", "--modes", "steady", "--forks", "1",
                "--iterations", "50", "--no-probes", "--cache", cache.toString(), "--out", root.toString()),
                out.resolve("runner.log"), true);
        var fork = Suites.awaitDescendant(runner.toHandle(), c -> c.contains("org.openjdk.jmh.runner.ForkedMain"),
                Duration.ofSeconds(120));
        assertTrue(fork.isPresent(), "a JMH fork started: " + Files.readString(out.resolve("runner.log")));
        List<ProcessHandle> tree = runner.descendants().toList();
        assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(runner.pid())).start().waitFor());
        assertTrue(runner.waitFor(10, TimeUnit.SECONDS));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && tree.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
        }
        List<String> left = tree.stream().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + Suites.commandLine(h)).toList();
        tree.forEach(ProcessHandle::destroyForcibly); // nothing to do when the test passes
        assertEquals(List.of(), left, "no cell host or fork outlives a SIGKILLed runner");
        System.out.println("outcome SIGKILL of the runner: " + tree.size() + " descendants, none left within 10 s");
    }

    /**
     * The cell host itself SIGKILLed mid-cell (the OOM killer's choice, or a user's): nothing ends its
     * JMH fork for it, which the kernel hands to init, out of the runner's reach. JMH's own link ends a
     * fork only when the fork next reports (an iteration's end), so a fork busy in a long setup or
     * shot (a large model loading; here a model file nobody writes, which blocks in open(2)) would
     * live on. The fork must end by itself, and the runner record the cell as KILLED.
     */
    @Test
    void aForkEndsSoonAfterItsCellHostIsKilled() throws Exception {
        Path fifo = out.resolve("never-written.pb");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        var suite = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var rows = suite.submit(() -> Suites.Spec.tiny(cache, out.resolve("reports")).modelFile(fifo)
                    .modes(Mode.STEADY.label()).timing(Duration.ofMillis(100), Duration.ofSeconds(60)).run());
            var fork = Suites.awaitDescendant(ProcessHandle.current(),
                    c -> c.contains("org.openjdk.jmh.runner.ForkedMain"), Duration.ofSeconds(60));
            assertTrue(fork.isPresent(), "a JMH fork started");
            ProcessHandle host = fork.get().parent().orElseThrow();
            assertTrue(Suites.commandLine(host).contains("slimbench.suite.CellMain"), Suites.commandLine(host));
            Thread.sleep(2000); // into the fork's setup, blocked on the file
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(host.pid())).start().waitFor());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end && fork.get().isAlive()) {
                Thread.sleep(100);
            }
            String orphan = fork.get().isAlive() ? Suites.commandLine(fork.get()) : null;
            fork.get().destroyForcibly(); // nothing to do when the test passes
            assertEquals(null, orphan, "the JMH fork outlived its SIGKILLed cell host by 5 s");
            ResultRow r = Suites.failed(rows.get(60, TimeUnit.SECONDS), "never-written.pb/fp32/at-load/0/steady",
                    Status.KILLED);
            assertTrue(r.message().startsWith("the cell process died by signal 9"), r.message());
            System.out.println("outcome SIGKILL of the cell host: its fork ended within 5 s; the cell is KILLED");
        } finally {
            suite.shutdownNow();
        }
    }

    @Test
    void aRunWithFailedCellsSaysSoAndExitsThreeAndRetryFailedRunsThemAgain() throws Exception {
        Path root = out.resolve("reports");
        List<String> args = List.of("run", "--runtimes", "tensorflow", "--threads", "1", "--preset", "quick", "--scale", "tiny", "--models", "mobilenet_v1",
                "--variants", "fp32", "--optimize", "at-load", "--modes", "cold", "--forks", "1", "--no-probes",
                "--cache", cache.toString(), "--out", root.toString());
        List<String> failing = new java.util.ArrayList<>(args);
        failing.addAll(List.of("--cell-timeout", "1"));
        Process first = FaultsTest.cli(failing, out.resolve("first.log"), true);
        assertTrue(first.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(out.resolve("first.log"));
        assertEquals(3, first.exitValue(), log);
        assertTrue(log.contains("\n1 cells: 1 TIMEOUT\n"), log);
        Path dir;
        try (var hosts = Files.list(root); var runs = Files.list(hosts.findFirst().orElseThrow())) {
            dir = runs.findFirst().orElseThrow();
        }

        List<String> retry = new java.util.ArrayList<>(args);
        // The run recorded its 1 s timeout; a longer one is this invocation's own to give.
        retry.addAll(List.of("--resume", dir.toString(), "--retry-failed", "--cell-timeout", "300"));
        Process second = FaultsTest.cli(retry, out.resolve("second.log"), true);
        assertTrue(second.waitFor(180, TimeUnit.SECONDS));
        String log2 = Files.readString(out.resolve("second.log"));
        assertEquals(0, second.exitValue(), log2);
        assertTrue(log2.contains("(0 already done)") && log2.contains("\n1 cells: 1 OK\n"), log2);
        System.out.println("outcome failed cells: exit 3, then --retry-failed: exit 0");
    }

    @Test
    void aResumeContinuesTheRunItNamesAndRejectsAConflictingOption() throws Exception {
        Path root = out.resolve("reports");
        SuiteOptions first = Suites.Spec.tiny(cache, root).modes(Mode.COLD.label()).options();
        Path dir;
        try (RunDirectory rd = RunDirectory.create(root, "host")) {
            dir = rd.dir();
            first.writeRecord(dir);
            // The cell ended ENVIRONMENT: the machine failed, so the resume has it to run again.
            rd.append(List.of(Runner.failure(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD),
                    Status.ENVIRONMENT, "the disk is full")));
        }
        Files.writeString(dir.resolve("conditions.csv"), "key,value\r\nroofline.fp32.t0,1.0 GFLOP/s\r\n");
        String before = Files.readString(dir.resolve("results.csv"));

        java.io.StringWriter err = new java.io.StringWriter();
        int exit = slimbench.cli.Main.commandLine().setErr(new java.io.PrintWriter(err))
                .execute("run", "--resume", dir.toString(), "--scale", "full");
        assertEquals(2, exit, err.toString());
        assertEquals("error: --resume " + dir + " continues a run made with --scale tiny, not full ("
                + dir.resolve("run.properties") + "): drop --scale, or start a new run", err.toString().strip());

        // No option at all: the run's own matrix (one cold cell, to run again), not the default suite's.
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            exit = slimbench.cli.Main.commandLine().execute("run", "--resume", dir.toString());
        } finally {
            System.setOut(stdout);
        }
        String log = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, exit, log);
        assertTrue(log.contains("SlimBench: 1 cells (0 already done)"), log);
        assertTrue(Files.readString(dir.resolve("results.csv")).startsWith(before), "the first rows are kept");
        assertEquals(Status.OK, Suites.cell(ResultsCsv.read(dir.resolve("results.csv")),
                "mobilenet_v1/fp32/at-load/0/cold").stream().reduce((a, b) -> b).orElseThrow().status());
        assertEquals("key,value\r\nroofline.fp32.t0,1.0 GFLOP/s\r\n", Files.readString(dir.resolve("conditions.csv")),
                "the first invocation's conditions are kept");
        assertTrue(Files.exists(dir.resolve("conditions-2.csv")), "the resume's conditions beside them");
        assertTrue(log.contains("note: this invocation measured roofline.fp32.t0 = "), log);
        System.out.println("outcome resume: --scale full rejected; no options reruns the recorded run's ENVIRONMENT cell");
    }

    @Test
    void summaryCountsEachCellOnceByItsLatestStatus() {
        Cell cold = Cell.named("m", Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD, Engine.DEFAULT, 0);
        Cell steady = Cell.named("m", Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY, Engine.DEFAULT, 0);
        Cell other = Cell.named("n", Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY, Engine.DEFAULT, 0);
        ResultRow failed = Runner.failure(cold, Status.ENVIRONMENT, "the disk is full");
        ResultRow ok = new ResultRow(Cell.named("m", Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD, Engine.DEFAULT, 0), "total", 1, Double.NaN, "ms", 1,
                Status.OK, "", "none");
        Summary s = Summary.of(List.of(failed, Runner.failure(steady, Status.TIMEOUT, "x")), List.of(cold, steady, other));
        assertEquals("3 cells: 1 TIMEOUT, 1 ENVIRONMENT, 1 not run", s.line());
        assertTrue(!s.complete());
        assertTrue(Summary.of(List.of(failed, ok), List.of(cold)).complete(), "the retried cell counts as OK");
    }
}
