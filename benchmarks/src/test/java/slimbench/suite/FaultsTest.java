package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * Faults the suite must survive, each with the exact outcome in the results: a cell that hangs in
 * model loading, a cell over the memory limit (the kernel's way and the runner's), the runner
 * itself stopped by SIGTERM or SIGINT and resumed, and an output directory that cannot be written.
 * (A fork killed by SIGKILL is in {@link SuiteEndToEndTest}.)
 */
class FaultsTest {
    @TempDir
    static Path cache;

    @TempDir
    Path out;

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
        Suites.assertNoProcessMentions(out.toString());
        Suites.assertNoCrashDump(out, Path.of("").toAbsolutePath());
    }

    @Test
    void aCellHangingInModelLoadingTimesOutAndLeavesNoProcess() throws Exception {
        // Reading a named pipe nobody writes blocks forever in open(2), in native code.
        Path fifo = out.resolve("never-written.pb");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        List<ResultRow> rows = Suites.Spec.tiny(cache, out.resolve("reports")).modelFile(fifo).modes(Mode.COLD.label())
                .timing(Duration.ofMillis(100), Duration.ofSeconds(5)).run();
        assertEquals(1, rows.size(), rows.toString());
        ResultRow r = Suites.failed(rows, "never-written.pb/fp32/at-load/0/cold", Status.TIMEOUT);
        assertTrue(r.message().startsWith("no result within 5 s; the watchdog ended the cell's process tree"),
                r.message());
    }

    @Test
    void aCellOverTheMemoryLimitIsKilledByTheKernelWhereItCan() throws Exception {
        MemoryCeiling ceiling = MemoryCeiling.of(100L << 20);
        assumeTrue(ceiling.enforcement().startsWith("enforced by a cgroup"),
                "this machine gives the runner no memory cgroup: " + ceiling.enforcement());
        Path dir = Suites.Spec.tiny(cache, out).modes(Mode.COLD.label()).memoryLimit(100L << 20).runDir();
        ResultRow r = Suites.failed(ResultsCsv.read(dir.resolve("results.csv")), "mobilenet_v1/fp32/at-load/0/cold",
                Status.KILLED);
        // The kernel's OOM killer, or the runner first where the tree's RSS passes the limit before the cgroup's count does.
        assertTrue(r.message().startsWith("the kernel's OOM killer ended")
                || r.message().startsWith("resident memory of the cell reached"), r.message());
        assertTrue(r.message().contains("limit of 100 MiB, enforced by a cgroup (memory."), r.message());
        assertTrue(SuiteEndToEndTest.conditions(dir).get("suite.memory_limit")
                .startsWith("100 MiB, enforced by a cgroup (memory."));
        assertNoCgroupLeft(ceiling);
    }

    /**
     * Under a cgroup the kernel counts only the pages the cell touched first: TensorFlow's library,
     * already resident for this JVM, is charged here, so a cell can hold more than its limit
     * resident while the kernel sees less. The ceiling holds for the tree's whole RSS all the same.
     */
    @Test
    void aCellWhoseTreeIsOverTheCeilingIsNeverOkUnderACgroup() throws Exception {
        long mib = 150; // two JVMs with TensorFlow loaded hold more (the runner's own check kills them at ~151 MiB)
        MemoryCeiling ceiling = MemoryCeiling.of(mib << 20);
        assumeTrue(ceiling.enforcement().startsWith("enforced by a cgroup"),
                "this machine gives the runner no memory cgroup: " + ceiling.enforcement());
        List<ResultRow> rows = Suites.Spec.tiny(cache, out).modes(Mode.COLD.label()).memoryLimit(mib << 20).run();
        List<ResultRow> cell = Suites.cell(rows, "mobilenet_v1/fp32/at-load/0/cold");
        assertEquals(1, cell.size(), "a killed cell leaves one row: " + cell);
        ResultRow r = cell.get(0);
        System.out.println("outcome " + mib + " MiB under " + ceiling.enforcement() + ": " + r.status() + " "
                + r.message());
        assertTrue(r.status() == Status.KILLED || r.status() == Status.OOM, r.toString());
        assertTrue(r.message().contains("at the limit of " + mib + " MiB, enforced by a cgroup")
                || r.message().contains("over the limit of " + mib + " MiB, enforced by a cgroup"), r.message());
        assertNoCgroupLeft(ceiling);
    }

    @Test
    void aCellOverTheMemoryLimitIsKilledByTheRunnerWhenForced() throws Exception {
        System.setProperty("slimbench.memory.enforcement", "runner");
        try {
            Path dir = Suites.Spec.tiny(cache, out).modes(Mode.COLD.label()).memoryLimit(150L << 20).runDir();
            ResultRow r = Suites.failed(ResultsCsv.read(dir.resolve("results.csv")),
                    "mobilenet_v1/fp32/at-load/0/cold", Status.KILLED);
            assertTrue(r.message().matches("resident memory of the cell reached \\d+ MiB, over the limit of "
                    + "150 MiB, enforced by the runner \\(sampling the tree's RSS\\): the tree was killed, "
                    + "as the OOM killer would \\(log: .*\\)"), r.message());
            assertEquals("150 MiB, enforced by the runner (sampling the tree's RSS)",
                    SuiteEndToEndTest.conditions(dir).get("suite.memory_limit"));
        } finally {
            System.clearProperty("slimbench.memory.enforcement");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aStoppedRunnerKeepsCompletedCellsAndResumeFinishesTheRest(String signal) throws Exception {
        Path root = out.resolve("reports");
        List<String> args = List.of("run", "--runtimes", "tensorflow", "--threads", "1", "--preset", "quick", "--scale", "tiny", "--models", "mobilenet_v1",
                "--variants", "fp32,fp16", "--optimize", "at-load", "--forks", "1", "--iterations", "2",
                "--no-probes", "--memory-limit", "2g", "--cache", cache.toString(), "--out", root.toString());
        Process runner = cli(args, out.resolve("runner.log"));
        Path results = awaitFile(root, "results.csv", Duration.ofSeconds(60));
        awaitRows(results, rows -> rows.stream().anyMatch(r -> r.mode() == Mode.COLD), Duration.ofSeconds(60));
        List<ProcessHandle> tree = runner.descendants().toList();
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(runner.pid())).start().waitFor());
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS), "the runner ends on SIG" + signal);
        assertEquals(signal.equals("TERM") ? 143 : 130, runner.exitValue(), "ended by SIG" + signal);
        for (ProcessHandle h : tree) {
            assertTrue(h.onExit().isDone() || !h.isAlive(), "a cell's process outlived the runner: " + h);
        }
        var cgroups = MemoryCeiling.CgroupParent.find();
        if (cgroups.isPresent()) {
            try (var left = Files.list(cgroups.get().dir())) {
                assertEquals(List.of(), left.filter(c -> c.getFileName().toString()
                        .startsWith("slimbench-" + runner.pid() + "-")).toList(), "the cell's cgroup is removed");
            }
        }

        List<ResultRow> kept = ResultsCsv.read(results);
        Map<String, Long> perCell = kept.stream().filter(r -> r.mode() != Mode.FILE)
                .collect(Collectors.groupingBy(ResultRow::key, Collectors.counting()));
        assertTrue(perCell.containsKey("mobilenet_v1/fp32/at-load/1/cold"), perCell.toString());
        assertTrue(perCell.size() < 4, "stopped before the end: " + perCell);
        assertTrue(kept.stream().allMatch(r -> r.status() == Status.OK),
                "the cell cut short is not recorded as a failure: " + kept);
        String before = Files.readString(results);

        Process resumed = cli(List.of("run", "--resume", results.getParent().toString(), "--preset", "quick",
                "--scale", "tiny", "--models", "mobilenet_v1", "--variants", "fp32,fp16", "--optimize", "at-load",
                "--forks", "1", "--iterations", "2", "--no-probes", "--cache", cache.toString(), "--out",
                root.toString()), out.resolve("resume.log"));
        assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), "the resumed run ends");
        String log = Files.readString(out.resolve("resume.log"));
        assertEquals(0, resumed.exitValue(), log);
        assertTrue(log.contains("(" + perCell.size() + " already done)"), log);

        String after = Files.readString(results);
        assertTrue(after.startsWith(before), "the completed cells are kept as they were");
        List<ResultRow> all = ResultsCsv.read(results);
        Map<String, List<ResultRow>> cells = all.stream().collect(Collectors.groupingBy(ResultRow::key));
        for (String v : List.of("fp32", "fp16")) {
            for (String mode : List.of(Mode.COLD.label(), Mode.STEADY.label())) {
                List<ResultRow> c = cells.get("mobilenet_v1/" + v + "/at-load/1/" + mode);
                assertTrue(c != null && c.get(0).status() == Status.OK, v + " " + mode + ": " + c);
                long primaries = c.stream().filter(r -> r.metric().equals(mode.equals(Mode.COLD.label()) ? "total" : "avg"))
                        .count();
                assertEquals(1, primaries, "each cell exactly once: " + c);
            }
            assertEquals(1, cells.get("mobilenet_v1/" + v + "/at-load/0/file").size());
        }
        assertEquals(6, cells.size(), cells.keySet().toString());
        System.out.println("outcome SIG" + signal + ": exit " + (signal.equals("TERM") ? 143 : 130) + ", kept "
                + perCell.keySet() + ", resume ran the other " + (4 - perCell.size()) + " cells");
    }

    @Test
    void anOutputRootThatCannotBeADirectoryIsAClearError() throws Exception {
        // Tests run as root, where chmod stops nothing: a path below a regular file cannot be made.
        Path file = Files.writeString(out.resolve("a-file"), "x");
        IOException e = assertThrows(IOException.class,
                () -> Suites.Spec.tiny(cache, file.resolve("below")).modes(Mode.COLD.label()).run());
        assertTrue(e.getMessage().startsWith("cannot create the run directory " + file.resolve("below")), e.getMessage());
        assertEquals("x", Files.readString(file));
        try (var left = Files.list(out)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    @Test
    void aFullDiskStopsTheRunWithoutTearingTheCsv() throws Exception {
        Path mount = Files.createDirectories(out.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(m.waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
        try {
            Path dir = Files.createDirectories(mount.resolve("host/run1"));
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("conditions.csv"), "key,value\r\n");
            // A completed cell whose row fills the file's last page exactly: any append needs a new page.
            Path csv = dir.resolve("results.csv");
            ResultsCsv.append(csv, List.of(row("")));
            ResultRow done = row("x".repeat((int) (4096 - Files.size(csv))));
            Files.delete(csv);
            ResultsCsv.append(csv, List.of(done));
            assertEquals(4096, Files.size(csv));
            String before = Files.readString(csv);
            fill(mount);
            // The run stops at its first write (journalling the cells of a results file from before the
            // journal), naming the file and the cause.
            Exception e = assertThrows(IOException.class, () -> Suites.Spec.tiny(cache, mount).resume(dir).run());
            assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("cells.done")), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(before, Files.readString(dir.resolve("results.csv")), "nothing half-written");
            assertEquals(List.of(done), ResultsCsv.read(dir.resolve("results.csv")));
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    /**
     * The disk fills while a cell runs: the cell host cannot write JMH's rows and JSON, and the runner
     * then cannot write the cell's outcome or the run's closing conditions. Every cell completed
     * before stays as written, the run ends with one line naming the file and the cause (no stack
     * trace), exit 1, and a resume once there is room again runs the cell that was cut short.
     */
    @Test
    void aDiskFillingUpDuringACellKeepsWhatWasWrittenAndEndsWithOneLine() throws Exception {
        Path mount = Files.createDirectories(out.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(m.waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
        try {
            List<String> args = List.of("run", "--runtimes", "tensorflow", "--threads", "1", "--preset", "quick", "--scale", "tiny", "--models", "mobilenet_v1",
                    "--variants", "fp32", "--optimize", "at-load", "--forks", "1", "--iterations", "20",
                    "--no-probes", "--cache", cache.toString(), "--out", mount.toString());
            Process runner = cli(args, out.resolve("runner.log"), true);
            Path results = awaitFile(mount, "results.csv", Duration.ofSeconds(60));
            Path dir = results.getParent();
            awaitRows(results, rows -> rows.stream().anyMatch(r -> r.mode() == Mode.COLD), Duration.ofSeconds(90));
            var host = Suites.awaitDescendant(runner.toHandle(), c -> c.contains("slimbench.suite.CellMain")
                    && c.contains("mode=steady"), Duration.ofSeconds(60));
            assertTrue(host.isPresent(), Files.readString(out.resolve("runner.log")));
            String before = Files.readString(results);
            String conditions = Files.readString(dir.resolve("conditions.csv"));
            fill(mount);
            assertTrue(runner.waitFor(120, TimeUnit.SECONDS), "the runner ends");

            String log = Files.readString(out.resolve("runner.log"));
            assertEquals(1, runner.exitValue(), log);
            String last = log.strip().substring(log.strip().lastIndexOf('\n') + 1);
            assertTrue(last.matches("error: cannot (write|append results to) " + java.util.regex.Pattern.quote(
                    dir.toString()) + "/\\S+: No space left on device"), last);
            assertTrue(!log.contains("\tat ") && !log.contains("Exception"), "no stack trace:\n" + log);
            String after = Files.readString(results);
            assertTrue(after.startsWith(before), "the cells written before are kept as they were");
            ResultsCsv.Contents c = ResultsCsv.readAll(results);
            assertEquals(List.of(), c.torn(), "nothing half-written");
            List<ResultRow> steady = Suites.cell(c.rows(), "mobilenet_v1/fp32/at-load/1/steady");
            assertTrue(steady.isEmpty() || steady.size() == 1 && steady.get(0).status() == Status.ENVIRONMENT
                    && steady.get(0).message().contains("full"), "the cut cell is the disk's failure: " + steady);
            assertEquals(conditions, Files.readString(dir.resolve("conditions.csv")), "the conditions are intact");
            try (var files = Files.walk(dir)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
            }

            Files.delete(mount.resolve("filler"));
            List<String> resume = new ArrayList<>(args);
            resume.addAll(List.of("--resume", dir.toString()));
            Process again = cli(resume, out.resolve("resume.log"), true);
            assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the resumed run ends");
            String log2 = Files.readString(out.resolve("resume.log"));
            assertEquals(0, again.exitValue(), log2);
            Map<String, List<ResultRow>> cells = ResultsCsv.read(results).stream()
                    .collect(Collectors.groupingBy(ResultRow::key));
            assertEquals(Status.OK, cells.get("mobilenet_v1/fp32/at-load/1/steady").get(
                    cells.get("mobilenet_v1/fp32/at-load/1/steady").size() - 1).status(), cells.toString());
            assertEquals(1, cells.get("mobilenet_v1/fp32/at-load/1/cold").stream()
                    .filter(r -> r.metric().equals("total")).count(), "the cold cell once: " + cells);
            System.out.println("outcome disk full mid-cell: exit 1, " + last + "; resume: exit 0");
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    private static ResultRow row(String message) {
        return new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD), "total", 1.5, Double.NaN, "ms", 1,
                Status.OK, message, "none");
    }

    private static void fill(Path dir) throws IOException {
        try (var o = Files.newOutputStream(dir.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                o.write(block);
                o.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    private static void assertNoCgroupLeft(MemoryCeiling ceiling) throws IOException {
        var parent = MemoryCeiling.CgroupParent.find().orElseThrow();
        try (var children = Files.list(parent.dir())) {
            List<Path> ours = children.filter(c -> c.getFileName().toString()
                    .startsWith("slimbench-" + ProcessHandle.current().pid())).toList();
            assertEquals(List.of(), ours, "each cell's cgroup is removed");
        }
    }

    /** {@code slimbench.cli.Main} in a JVM of its own, as a user starts it. */
    static Process cli(List<String> args, Path log) throws IOException {
        return cli(args, log, false);
    }

    /**
     * The same, optionally without JMH's machine-wide lock: for tests of supervision, not of numbers,
     * which must not fail because another suite (another test run on this machine) holds it.
     */
    static Process cli(List<String> args, Path log, boolean ignoreJmhLock) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "slimbench.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (ignoreJmhLock) {
            pb.environment().put("JAVA_TOOL_OPTIONS", "-Djmh.ignoreLock=true");
        }
        return pb.start();
    }

    private static Path awaitFile(Path root, String name, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.isDirectory(root)) {
                try (var files = Files.walk(root)) {
                    var f = files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
                    if (f.isPresent()) {
                        return f.get();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + name + " under " + root + " after " + timeout);
    }

    private static void awaitRows(Path csv, Function<List<ResultRow>, Boolean> enough, Duration timeout)
            throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            // the first append creates the file, then writes header and rows: empty in between
            if (Files.size(csv) > 0 && enough.apply(ResultsCsv.read(csv))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not enough rows in " + csv + ":\n" + Files.readString(csv, StandardCharsets.UTF_8));
    }
}
