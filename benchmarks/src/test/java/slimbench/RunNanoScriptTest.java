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
    void aBoardWithTrtexecAddsTheTensorRtCells() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));
        Path trtexec = Files.writeString(tmp.resolve("trtexec"), "#!/bin/sh\n");
        assertTrue(trtexec.toFile().setExecutable(true));
        Map<String, String> board = Map.of("RUN_NANO_TRTEXEC", trtexec.toString());

        Run added = dryRun(board, NANO_MEMINFO, "aarch64", "", "--jar", jar.toString(), "--models", "mobilenet_v1");
        Run chosen = dryRun(board, NANO_MEMINFO, "aarch64", "", "--jar", jar.toString(), "--runtimes", "tensorrt");
        Run none = dryRun(NANO_MEMINFO, "aarch64", "", "--jar", jar.toString());

        assertEquals(0, added.exitCode, added.output);
        assertTrue(added.output.contains("run-nano: TensorRT: " + trtexec + " found; the run adds the tensorrt cells"),
                added.output);
        // show() prints the command as bash's printf %q spells it: the commas escaped.
        assertTrue(added.output.contains(" run --preset nano --models mobilenet_v1 --runtimes "
                + "tensorflow\\,onnxruntime\\,tensorrt --trtexec " + trtexec + "\n"), added.output);
        assertTrue(chosen.output.contains(" run --preset nano --runtimes tensorrt --trtexec " + trtexec + "\n"),
                "the user's --runtimes are kept:\n" + chosen.output);
        assertTrue(none.output.contains(" run --preset nano\n"), none.output);
        assertTrue(none.output.contains("no tensorrt cells"), none.output);
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
    void namesTheJetPackOfEachL4tRelease() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));
        Map<String, String> expected = Map.of(
                "jetson-nano", "L4T R32.7.1: JetPack 4 (Ubuntu 18.04). The CPU runs the cells; GPU cells (tftrt-fp16)"
                        + " are recorded UNSUPPORTED: TensorFlow Java's arm64 native has no CUDA",
                "jetson-xavier-r35", "L4T R35.4.1: JetPack 5 (Ubuntu 20.04). The CPU runs the cells",
                "jetson-orin-r36", "L4T R36.4.0: JetPack 6 (Ubuntu 22.04). The CPU runs the cells");
        for (var e : expected.entrySet()) {
            Run run = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", tegraRelease(e.getKey())), NANO_MEMINFO, "aarch64", "",
                    "--jar", jar.toString());

            assertEquals(0, run.exitCode, run.output);
            assertTrue(run.output.contains("run-nano: " + e.getValue()), e.getKey() + ":\n" + run.output);
            assertTrue(run.output.contains(" run --preset nano\n"), run.output);
        }
        Run plain = dryRun(NANO_MEMINFO, "aarch64", "", "--jar", jar.toString());
        assertFalse(plain.output.contains("L4T"), "no release file, no generation:\n" + plain.output);
    }

    @Test
    void anUnknownOrUnreadableReleaseIsSaidNotGuessed() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));
        Path r34 = Files.writeString(tmp.resolve("r34"), "# R34 (release), REVISION: 1.1, GCID: 30414990, BOARD: t186ref\n");
        Path garbled = Files.writeString(tmp.resolve("garbled"), "not a release line\n");

        Run unknown = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", r34.toString()), NANO_MEMINFO, "aarch64", "",
                "--jar", jar.toString());
        Run unreadable = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", garbled.toString()), NANO_MEMINFO, "aarch64", "",
                "--jar", jar.toString());

        assertEquals(0, unknown.exitCode, unknown.output);
        assertTrue(unknown.output.contains("L4T R34.1.1: a release run-nano.sh does not know"), unknown.output);
        assertEquals(0, unreadable.exitCode, unreadable.output);
        assertTrue(unreadable.output.contains("warning: " + garbled + " has no L4T release line"), unreadable.output);
    }

    @Test
    void jetPack4WithoutJava17IsToldWhereToGetItAndStops() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));
        Path java11 = Files.writeString(tmp.resolve("java11"),
                "#!/bin/sh\necho 'openjdk version \"11.0.20\" 2023-07-18' >&2\n");
        assertTrue(java11.toFile().setExecutable(true));
        String nano = tegraRelease("jetson-nano");

        Run old = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", nano, "JAVA", java11.toString()), NANO_MEMINFO, "aarch64", "",
                "--jar", jar.toString());
        Run missing = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", nano, "JAVA", tmp.resolve("no-java").toString()),
                NANO_MEMINFO, "aarch64", "", "--jar", jar.toString());

        for (Run run : List.of(old, missing)) {
            assertEquals(1, run.exitCode, run.output);
            assertTrue(run.output.contains("SlimBench needs Java 17 or newer.\nOn JetPack 4 (Ubuntu 18.04) get Eclipse "
                    + "Temurin 17 for Linux aarch64 (it needs glibc 2.17, 18.04 has 2.27)"), run.output);
            assertTrue(run.output.contains("https://adoptium.net/temurin/releases/?version=17&os=linux&arch=aarch64"),
                    run.output);
            assertFalse(run.output.contains("--preset nano"), "nothing is run:\n" + run.output);
        }
        assertTrue(old.output.contains("error: Java 11 found"), old.output);
        assertTrue(missing.output.contains("error: no Java found"), missing.output);
    }

    @Test
    void elsewhereWithoutJava17TheAdviceIsTheUbuntuPackage() throws Exception {
        Path jar = Files.createFile(tmp.resolve("benchmarks.jar"));

        Run run = dryRun(Map.of("RUN_NANO_TEGRA_RELEASE", tegraRelease("jetson-xavier-r35"),
                "JAVA", tmp.resolve("no-java").toString()), NANO_MEMINFO, "aarch64", "", "--jar", jar.toString());

        assertEquals(1, run.exitCode, run.output);
        assertTrue(run.output.contains("Install one: sudo apt-get install openjdk-17-jre-headless"), run.output);
        assertFalse(run.output.contains("Temurin"), run.output);
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
        for (String ci : List.of(".ci/run", ".ci/setup-arm64.sh", "benchmarks/src/test/resources/trtexec/fake-trtexec.sh")) {
            if (Files.exists(BASEDIR.resolve(ci))) {
                command.add(BASEDIR.resolve(ci).toString());
            }
        }

        Run run = run(command, Map.of());

        assertEquals(0, run.exitCode, run.output);
    }

    private Run dryRun(String meminfo, String arch, String javaOpts, String... args) throws Exception {
        return dryRun(Map.of(), meminfo, arch, javaOpts, args);
    }

    /** {@code env} adds to or overrides the pretended machine: RUN_NANO_TEGRA_RELEASE, JAVA. */
    private Run dryRun(Map<String, String> env, String meminfo, String arch, String javaOpts, String... args)
            throws Exception {
        Path meminfoFile = Files.writeString(tmp.resolve("meminfo-" + System.nanoTime()), meminfo);
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run"));
        command.addAll(List.of(args));
        Map<String, String> childEnv = new HashMap<>(Map.of("RUN_NANO_ARCH", arch,
                "RUN_NANO_MEMINFO", meminfoFile.toString(), "JAVA", JAVA, "JAVA_OPTS", javaOpts,
                "RUN_NANO_TEGRA_RELEASE", tmp.resolve("no-nv_tegra_release").toString(),
                "RUN_NANO_TRTEXEC", tmp.resolve("no-trtexec").toString()));
        childEnv.putAll(env);
        return run(command, childEnv);
    }

    /** The L4T release file of a recorded Jetson tree (src/test/resources/probe). */
    private static String tegraRelease(String tree) throws Exception {
        return Path.of(RunNanoScriptTest.class.getResource("/probe/" + tree + "/etc/nv_tegra_release").toURI()).toString();
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
