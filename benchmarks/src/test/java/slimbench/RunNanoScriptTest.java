package slimbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jetson runner's plan, checked on any machine: {@code run-nano.sh --dry-run} pretending to be
 * an aarch64 device (RUN_NANO_ARCH) with a given /proc/meminfo (RUN_NANO_MEMINFO).
 *
 * <p>How to run: {@code mvn test -Dtest=RunNanoScriptTest}
 */
class RunNanoScriptTest {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path SCRIPT = BASEDIR.resolve("run-nano.sh");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** A 4 GB Jetson Nano with JetPack's zram swap, as /proc/meminfo shows it. */
    private static final String NANO_MEMINFO = """
            MemTotal:        4058056 kB
            MemFree:          312420 kB
            MemAvailable:    2894412 kB
            SwapTotal:       2029028 kB
            SwapFree:        2029028 kB
            """;

    @TempDir
    Path tmp;

    @Test
    void plansTheNanoPresetWithAQuarterOfMemoryAsHeap() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));

        Run run = dryRun(NANO_MEMINFO, "aarch64", "-XX:+UseSerialGC", "--jar", jar.toString(), "--models", "mobilenet_v1");

        assertEquals(0, run.exitCode, run.output);
        // 4058056 kB / 4 = 990 MiB
        assertTrue(run.output.contains("+ " + JAVA + " -Xmx990m -XX:+UseSerialGC -jar " + jar
                + " run --preset nano --models mobilenet_v1\n"), run.output);
        assertTrue(run.output.contains("heap: -Xmx990m"), run.output);
        assertTrue(Pattern.compile("java -jar benchmarks\\.jar diff reports/<host-run>/results\\.csv"
                + " reports/[^/\\s]+/<timestamp>/results\\.csv").matcher(run.output).find(), run.output);
        assertFalse(run.output.contains("warning"), run.output);
    }

    @Test
    void smallDeviceGetsTheMinimumHeapAndMemoryWarnings() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));
        String meminfo = "MemTotal: 1500000 kB\nMemAvailable: 600000 kB\nSwapTotal: 0 kB\n";

        Run run = dryRun(meminfo, "aarch64", "", "--jar", jar.toString());

        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains(" -Xmx512m -jar " + jar + " run --preset nano\n"), run.output);
        assertTrue(run.output.contains("warning: only 585 MiB available"), run.output);
        assertTrue(run.output.contains("warning: no swap or zram"), run.output);
    }

    @Test
    void maxClocksIsPlannedButNotRun() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));

        Run run = dryRun(NANO_MEMINFO, "aarch64", "", "--jar", jar.toString(), "--max-clocks");

        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("+ sudo nvpmodel -m 0\n+ sudo jetson_clocks\n"), run.output);
    }

    @Test
    void refusesAnotherArchitectureUnlessForced() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));

        Run refused = dryRun(NANO_MEMINFO, "x86_64", "", "--jar", jar.toString());
        Run forced = dryRun(NANO_MEMINFO, "x86_64", "", "--jar", jar.toString(), "--force");

        assertEquals(1, refused.exitCode, refused.output);
        assertTrue(refused.output.contains("this is x86_64, not aarch64"), refused.output);
        assertFalse(refused.output.contains("--preset nano"), refused.output);
        assertEquals(0, forced.exitCode, forced.output);
        assertTrue(forced.output.contains(" run --preset nano\n"), forced.output);
    }

    @Test
    void helpDocumentsTheOptions() throws Exception {
        Run run = run(List.of("bash", SCRIPT.toString(), "--help"), Map.of());

        assertEquals(0, run.exitCode, run.output);
        for (String option : List.of("--jar", "--heap", "--max-clocks", "--force", "--dry-run", "JAVA_OPTS")) {
            assertTrue(run.output.contains(option), option + " undocumented:\n" + run.output);
        }
    }

    @Test
    void scriptsAreShellcheckClean() throws Exception {
        Assumptions.assumeTrue(ChildProcess.onPath("shellcheck") != null, "shellcheck not on PATH (apt-get install shellcheck)");
        List<String> command = new ArrayList<>(List.of("shellcheck", SCRIPT.toString()));
        for (String ci : List.of(".ci/run", ".ci/setup-arm64.sh")) {
            if (Files.exists(BASEDIR.resolve(ci))) {
                command.add(BASEDIR.resolve(ci).toString());
            }
        }

        Run run = run(command, Map.of());

        assertEquals(0, run.exitCode, run.output);
    }

    private Run dryRun(String meminfo, String arch, String javaOpts, String... args) throws Exception {
        Path meminfoFile = Files.writeString(tmp.resolve("meminfo-" + System.nanoTime()), meminfo);
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run"));
        command.addAll(List.of(args));
        return run(command, Map.of("RUN_NANO_ARCH", arch, "RUN_NANO_MEMINFO", meminfoFile.toString(),
                "JAVA", JAVA, "JAVA_OPTS", javaOpts));
    }

    private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> childEnv = new HashMap<>(env);
        childEnv.putIfAbsent("JAVA_OPTS", "");
        ChildProcess child = ChildProcess.run(command, tmp, childEnv,
                Files.createTempFile(tmp, "run-nano", ".log"), Duration.ofSeconds(60));
        assertFalse(child.timedOut(), child::transcript);
        return new Run(child.exitCode(), child.output());
    }

    private record Run(int exitCode, String output) {}
}
