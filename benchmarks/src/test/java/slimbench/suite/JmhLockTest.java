package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.cli.Cli;
import slimbench.model.Mode;

/**
 * One suite at a time: a run that finds JMH's lock held (here in a {@code java.io.tmpdir} of the
 * test's own, which the run and its cells use) stops before its first cell with {@code --no-wait},
 * or waits, saying who holds it, and runs its cells once it is free, none of them ENVIRONMENT.
 */
class JmhLockTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    private String tmpdir;

    @BeforeEach
    void ownTmpdir() {
        tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
    }

    @AfterEach
    void restoreTmpdir() throws InterruptedException {
        System.setProperty("java.io.tmpdir", tmpdir);
        Suites.assertNoDescendants();
    }

    @Test
    void noWaitExitsBeforeTheFirstCellNamingTheHolder() throws Exception {
        Path file = tmp.resolve("jmh.lock");
        assertEquals(file, JmhLock.file());
        Cli.Outcome o;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            o = Cli.run("run", "--models", "mobilenet_v1", "--variants", "fp32", "--optimize", "at-load", "--modes", "cold",
                    "--runtimes", "tensorflow", "--scale", "tiny", "--no-probes", "--cache", cache,
                    "--out", tmp.resolve("reports"), "--no-wait");
        }
        assertEquals(1, o.exit(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: JMH's lock " + file + " is held by pid " + ProcessHandle.current().pid()
                + " (this process): another benchmark is running on this machine, and --no-wait does not wait for it"),
                o.err());
        assertFalse(Files.exists(tmp.resolve("reports")), "no run directory: nothing ran");
    }

    /** The holder is another program, as another JMH benchmark would be: named by its pid, and waited for. */
    @Test
    void aRunWaitsForTheLockAndRunsItsCellsOnceItIsFree() throws Exception {
        Path file = tmp.resolve("jmh.lock");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldsFileLock.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked " + file, said.readLine());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
            Path reports = tmp.resolve("reports");
            CompletableFuture<Path> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Runner(Suites.Spec.tiny(cache, reports).modes(Mode.COLD.label()).options(), out).run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String waiting = "waiting for JMH's lock " + file + ", held by pid " + holder.pid() + " (java ";
            for (int i = 0; i < 200 && !printed.toString(StandardCharsets.UTF_8).contains(waiting); i++) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains(waiting), printed.toString(StandardCharsets.UTF_8));
            TimeUnit.SECONDS.sleep(1);
            assertFalse(run.isDone(), "still waiting");
            assertFalse(Files.exists(reports), "no run directory before the lock is free");

            holder.destroy(); // the other benchmark ends
            Path dir = run.get(180, TimeUnit.SECONDS);
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("JMH's lock is free after "), text);
            List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
            assertTrue(rows.stream().noneMatch(r -> r.status() == Status.ENVIRONMENT), rows.toString());
            assertEquals(Status.OK, Suites.cell(rows, "mobilenet_v1/fp32/at-load/0/cold").get(0).status(), rows.toString());
            assertTrue(text.strip().endsWith("next: java -jar benchmarks.jar report " + dir.resolve("results.csv")), text);
            System.out.println("outcome waiting run:\n" + text);
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A cell's JMH looks at its runner's lock file, and runs under the runner's lock while the runner holds it. */
    @Test
    void cellsRunUnderTheirRunnersLock() throws Exception {
        assertEquals(List.of("-Djava.io.tmpdir=" + tmp), JmhLock.cellOptions());
        try (JmhLock lock = JmhLock.take(new PrintStream(new ByteArrayOutputStream()), false)) {
            assertEquals(List.of("-Djava.io.tmpdir=" + tmp, "-Djmh.ignoreLock=true"), JmhLock.cellOptions());
        }
        assertEquals(List.of("-Djava.io.tmpdir=" + tmp), JmhLock.cellOptions());
    }
}
