package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

/** Small suites over scaled-down models, run by the in-process runner, and checks on process trees. */
public final class Suites {
    private Suites() {}

    /** A suite's options with test defaults (tiny models, one fork, short iterations, no probes), changed by withers. */
    public record Spec(List<String> variants, List<String> optimize, List<String> modes, int warmups, int iterations,
                       Duration iterationTime, Duration cellTimeout, long memoryLimit, Path cache, Path modelFile,
                       Path outputRoot, Path resume, boolean probes) {
        public static Spec tiny(Path cache, Path outputRoot) {
            return new Spec(List.of("fp32"), List.of("at-load"), List.of(Mode.COLD.label(), Mode.STEADY.label()), 0, 3,
                    Duration.ofMillis(100), Duration.ofSeconds(120), 0, cache, null, outputRoot, null, false);
        }

        public Spec variants(String... v) {
            return new Spec(List.of(v), optimize, modes, warmups, iterations, iterationTime, cellTimeout, memoryLimit,
                    cache, modelFile, outputRoot, resume, probes);
        }

        public Spec modes(String... m) {
            return new Spec(variants, optimize, List.of(m), warmups, iterations, iterationTime, cellTimeout,
                    memoryLimit, cache, modelFile, outputRoot, resume, probes);
        }

        public Spec timing(Duration iteration, Duration timeout) {
            return new Spec(variants, optimize, modes, warmups, iterations, iteration, timeout, memoryLimit, cache,
                    modelFile, outputRoot, resume, probes);
        }

        public Spec memoryLimit(long bytes) {
            return new Spec(variants, optimize, modes, warmups, iterations, iterationTime, cellTimeout, bytes, cache,
                    modelFile, outputRoot, resume, probes);
        }

        public Spec modelFile(Path file) {
            return new Spec(variants, optimize, modes, warmups, iterations, iterationTime, cellTimeout, memoryLimit,
                    cache, file, outputRoot, resume, probes);
        }

        public Spec resume(Path dir) {
            return new Spec(variants, optimize, modes, warmups, iterations, iterationTime, cellTimeout, memoryLimit,
                    cache, modelFile, outputRoot, dir, probes);
        }

        public Spec probes(boolean on) {
            return new Spec(variants, optimize, modes, warmups, iterations, iterationTime, cellTimeout, memoryLimit,
                    cache, modelFile, outputRoot, resume, on);
        }

        public SuiteOptions options() {
            return new SuiteOptions("quick", List.of(Model.MOBILENET_V1), variants.stream().map(Variant::of).toList(),
                    optimize.stream().map(Optimize::of).toList(), List.of(0), modes.stream().map(Mode::of).toList(),
                    List.of(Engine.DEFAULT), 1, 1, warmups, iterations, iterationTime, cellTimeout, memoryLimit,
                    Scale.TINY, cache, modelFile, "input",
                    "scores", outputRoot, resume, List.of(), probes, false, slimbench.model.FileCachePolicy.COLD, true, 0.0, java.time.Duration.ZERO, java.time.Duration.ZERO, true);
        }

        /** Runs the suite in this JVM and returns its rows. */
        public List<ResultRow> run() throws IOException, InterruptedException {
            return ResultsCsv.read(runDir().resolve("results.csv"));
        }

        /** Runs the suite in this JVM and returns its run directory. */
        public Path runDir() throws IOException, InterruptedException {
            return new Runner(options(), new PrintStream(System.out, true, StandardCharsets.UTF_8)).run();
        }
    }

    /** The rows of one cell (model/variant/optimize/threads/mode). */
    public static List<ResultRow> cell(List<ResultRow> rows, String key) {
        return rows.stream().filter(r -> r.key().equals(key)).toList();
    }

    /** The one row a failed cell leaves, checked to be the only one, with a NaN score. */
    public static ResultRow failed(List<ResultRow> rows, String key, Status status) {
        List<ResultRow> c = cell(rows, key);
        assertEquals(1, c.size(), "a failed cell leaves one row: " + c);
        ResultRow r = c.get(0);
        assertEquals(status, r.status(), r.toString());
        assertTrue(Double.isNaN(r.score()), r.toString());
        assertTrue(!r.message().isBlank(), "a failure says what happened: " + r);
        System.out.println("outcome " + key + ": " + r.status() + " " + r.message());
        return r;
    }

    /** The command line of a process, from /proc (ProcessHandle.Info may leave it empty). */
    public static String commandLine(ProcessHandle h) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | UncheckedIOException e) {
            return h.info().commandLine().orElse("");
        }
    }

    /** Waits up to {@code timeout} for a descendant of {@code root} whose command line matches. */
    public static Optional<ProcessHandle> awaitDescendant(ProcessHandle root, Predicate<String> commandLine,
                                                          Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<ProcessHandle> h = root.descendants().filter(d -> commandLine.test(commandLine(d))).findFirst();
            if (h.isPresent()) {
                return h;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** Fails if any process still alive mentions {@code marker} (a test's own temp dir) on its command line. */
    public static void assertNoProcessMentions(String marker) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .filter(h -> h.pid() != ProcessHandle.current().pid())
                    .map(h -> h.pid() + " " + commandLine(h)).filter(c -> c.contains(marker)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (i == 99) {
                fail("stray processes left: " + left);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Fails if this JVM has a live descendant (the runner's cells must all be gone). */
    public static void assertNoDescendants() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(h -> h.pid() + " " + commandLine(h)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (i == 99) {
                fail("stray processes left: " + left);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Fails if a JVM crash dump lies in any of the directories (searched recursively). */
    public static void assertNoCrashDump(Path... dirs) throws IOException {
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d, 6)) {
                List<Path> dumps = files.filter(f -> f.getFileName().toString().matches("hs_err_pid\\d+\\.log"))
                        .toList();
                assertTrue(dumps.isEmpty(), "JVM crash dumps: " + dumps);
            }
        }
    }
}
