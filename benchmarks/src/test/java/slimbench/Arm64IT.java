package slimbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the shaded benchmarks.jar as linux-arm64, the Jetson's platform, under qemu user-mode
 * emulation of the Jetson Nano's CPU ({@code QEMU_CPU=cortex-a57}), in two userlands: Debian 12
 * (glibc 2.36, GCC 12's libstdc++) and Debian 11 (glibc 2.31, GCC 10's libstdc++: older than the
 * published arm64 binding needs, as old as a Jetson on JetPack 5 / Ubuntu 20.04). So the arm64
 * TensorFlow native inside the one jar, adapted by the build, is loaded and used on every build,
 * and the mission's flow runs end to end: a tiny run on "the Jetson", then {@code diff} on the host.
 * The roots come from {@code .ci/setup-arm64.sh} and {@code .ci/setup-arm64.sh --suite bullseye}
 * ({@code $SLIMBENCH_ARM64_ROOT}, {@code $SLIMBENCH_ARM64_BULLSEYE_ROOT} or the script's default
 * paths). Without qemu or a root the tests are skipped, except under {@code CI=true}, where a
 * missing emulator or root is a broken build rather than a reason to skip.
 *
 * <p>How to run: {@code .ci/setup-arm64.sh && .ci/setup-arm64.sh --suite bullseye && mvn verify -Dit.test=Arm64IT}
 */
class Arm64IT {
    private static final String QEMU = "qemu-aarch64-static";
    private static final String JAVA_IN_ROOT = "usr/lib/jvm/java-17-openjdk-arm64/bin/java";
    /** The Jetson Nano's (and TX1's) CPU; qemu's default "max" CPU has features no Nano has. */
    private static final Map<String, String> NANO_CPU = Map.of("QEMU_CPU", "cortex-a57");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** The arm64 roots, oldest userland last. */
    enum Userland {
        DEBIAN_12("SLIMBENCH_ARM64_ROOT", "arm64-root", ""),
        DEBIAN_11("SLIMBENCH_ARM64_BULLSEYE_ROOT", "arm64-root-bullseye", " --suite bullseye");

        final String env;
        final String dir;
        final String setupArgs;

        Userland(String env, String dir, String setupArgs) {
            this.env = env;
            this.dir = dir;
            this.setupArgs = setupArgs;
        }

        Path root() {
            String fromEnv = System.getenv(env);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Path.of(fromEnv);
            }
            String cache = System.getenv("XDG_CACHE_HOME");
            Path cacheDir = cache != null && !cache.isBlank()
                    ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
            return cacheDir.resolve("slimbench").resolve(dir);
        }
    }

    private Path basedir;
    private Path qemu;

    /** Per test rather than @BeforeAll, so a skip is reported on each test with its reason. */
    @BeforeEach
    void findEmulator() {
        basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        qemu = ChildProcess.onPath(QEMU);
        require(qemu != null, QEMU + " is not on PATH (install Debian's qemu-user-static: .ci/setup-arm64.sh)");
    }

    /** The emulator itself, apart from anything of ours: tells a broken root from a broken jar. */
    @ParameterizedTest
    @EnumSource(Userland.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void emulatedJavaIsAarch64(Userland userland) throws Exception {
        Outcome out = runEmulated(userland, "java-version", Duration.ofMinutes(1), "-XshowSettings:properties", "-version");

        out.assertExit(0);
        out.assertContains("os.arch = aarch64");
        out.assertContains("version \"17");
    }

    @ParameterizedTest
    @EnumSource(Userland.class)
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void checkLoadsAndRunsScaledMobilenetOnArm64(Userland userland) throws Exception {
        Outcome out = runEmulated(userland, "check-mobilenet_v1", TIMEOUT,
                "-jar", jar().toString(), "check", "--model", "mobilenet_v1", "--scaled");

        out.assertExit(0);
        out.assertContains("os.arch=aarch64");
        assertTrue(out.output().lines().anyMatch(l -> l.startsWith("check OK")),
                () -> out.explain("no line starting with 'check OK'"));
    }

    /** doctor loads TensorFlow too: exit 0, no stack trace, and it says the arm64 binding was adapted. */
    @ParameterizedTest
    @EnumSource(Userland.class)
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void doctorRunsWithoutAStackTrace(Userland userland) throws Exception {
        Outcome out = runEmulated(userland, "doctor", TIMEOUT, "-jar", jar().toString(), "doctor");

        out.assertExit(0);
        assertTrue(out.output().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread")),
                () -> out.explain("a stack trace"));
        assertTrue(out.output().lines().anyMatch(l -> l.matches("jvm\\.arch\\s+aarch64")), () -> out.explain("no jvm.arch"));
        assertTrue(out.output().lines().anyMatch(l -> l.matches("tf\\.native\\.adapted\\s+libjnitensorflow\\.so: .*GLIBC_2\\.34.*")),
                () -> out.explain("no tf.native.adapted naming GLIBC_2.34"));
    }

    /** ONNX Runtime's linux-aarch64 native, shaded into the same jar, loads and runs a model in both userlands. */
    @ParameterizedTest
    @EnumSource(Userland.class)
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void checkRunsAModelThroughOnnxRuntimeOnArm64(Userland userland) throws Exception {
        Outcome out = runEmulated(userland, "check-mobilenet_v1-onnxruntime", TIMEOUT,
                "-jar", jar().toString(), "check", "--model", "mobilenet_v1", "--scale", "tiny", "--runtime", "onnxruntime");

        out.assertExit(0);
        out.assertContains("os.arch=aarch64");
        out.assertContains("ort.version=");
        assertTrue(out.output().lines().anyMatch(l -> l.startsWith("check OK mobilenet_v1 fp32 onnxruntime")),
                () -> out.explain("no line starting with 'check OK mobilenet_v1 fp32 onnxruntime'"));
    }

    /** A mapped ahead graph on arm64: no oneDNN binding there, TensorFlow's own kernels read the mapped filters. */
    @Test
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void checkRunsAMappedAheadGraphOnArm64() throws Exception {
        // depthwise convolutions and relu6, and resnet_v2's fused batch norm: every kind of op an ahead graph has
        for (String model : List.of("mobilenet_v1", "resnet_v2_50")) {
            Outcome out = runEmulated(Userland.DEBIAN_12, "check-" + model + "-ahead", TIMEOUT,
                    "-jar", jar().toString(), "check", "--model", model, "--scaled", "--optimize", "ahead");
            out.assertExit(0);
            out.assertContains("os.arch=aarch64");
            assertTrue(out.output().lines().anyMatch(l -> l.startsWith("check OK")),
                    () -> out.explain("no line starting with 'check OK'"));
        }
    }

    /**
     * The mission's flow: a tiny run on the emulated Jetson in the old userland (one scaled model,
     * cold and steady, one fork, one short iteration), the same run on the host, then {@code diff}
     * of the two on the host, cell by cell with both runs' conditions.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void tinyRunOnDebian11ArmDiffsAgainstAHostRun() throws Exception {
        Path it = Files.createDirectories(basedir.resolve("target/arm64-it"));
        Path reports = it.resolve("reports");
        deleteTree(reports);
        List<String> tiny = List.of("run", "--runtimes", "tensorflow", "--preset", "quick", "--models", "mobilenet_v1", "--variants", "fp32",
                "--optimize", "at-load", "--scale", "tiny", "--forks", "1", "--iterations", "1", "--no-choose-threads",
                "--cell-timeout", "600",
                "--cache", it.resolve("cache").toString());

        // The runner starts each cell, and the cell its JMH forks, as new arm64 JVMs: without binfmt_misc the
        // OS cannot exec an arm64 java, so they go through a host script that runs it under qemu.
        Path javaUnderQemu = javaUnderQemu(Userland.DEBIAN_11, it.resolve("java-" + Userland.DEBIAN_11.dir));
        List<String> arm = new ArrayList<>(List.of("-D" + "slimbench.java=" + javaUnderQemu,
                "-Djdk.lang.Process.launchMechanism=FORK", "-jar", jar().toString()));
        arm.addAll(tiny);
        arm.addAll(List.of("--out", reports.resolve("arm64").toString()));
        Outcome armRun = runEmulated(Userland.DEBIAN_11, "run-tiny-debian11", Duration.ofMinutes(15), arm.toArray(String[]::new));
        armRun.assertExit(0);

        List<String> host = new ArrayList<>(List.of(hostJava(), "-jar", jar().toString()));
        host.addAll(tiny);
        host.addAll(List.of("--out", reports.resolve("host").toString()));
        Outcome hostRun = run("run-tiny-host", host, Map.of(), Duration.ofMinutes(5));
        hostRun.assertExit(0);

        Path armResults = resultsUnder(reports.resolve("arm64"));
        Path hostResults = resultsUnder(reports.resolve("host"));
        for (Path results : List.of(armResults, hostResults)) {
            String csv = Files.readString(results);
            for (String mode : List.of("cold", "steady")) {
                // threads: the count that ran, within the budget 0 resolved to
                assertTrue(csv.lines().anyMatch(l -> l.matches("mobilenet_v1,fp32,at-load,\\d+," + mode + ",.*") && l.contains(",OK,")),
                        () -> results + " has no OK " + mode + " row:\n" + csv);
            }
        }
        String conditions = Files.readString(armResults.resolveSibling("conditions.csv"));
        for (String expected : List.of("jvm.arch,aarch64", "glibc.version,2.31", "tf.native,linux-arm64", "tf.native.adapted,")) {
            assertTrue(conditions.contains(expected), () -> "arm64 conditions.csv lacks " + expected + ":\n" + conditions);
        }

        Outcome diff = run("diff", List.of(hostJava(), "-jar", jar().toString(), "diff", hostResults.toString(),
                armResults.toString()), Map.of(), Duration.ofMinutes(2));
        diff.assertExit(0);
        // "Where each run ran" sets arch, glibc and the native (with the arm64 binding's adaptation) side by side.
        for (String expected : List.of("## Where each run ran", "aarch64", "amd64", "2.31", "linux-arm64", "linux-x86_64",
                "libjnitensorflow.so: GLIBCXX_3.4.29,GLIBC_2.34 needs weak")) {
            diff.assertContains(expected);
        }
        // Both runs' cells side by side: the cold and the steady table each have the cell with a number per run.
        // A number may carry its error and the cell's marks (a loaded CI machine makes a cell *disturbed*).
        String value = "[0-9.]+( ± [0-9.]+)?( \\*[a-z, -]+\\*)?";
        for (String table : List.of("### cold · total (ms)", "### steady · avg (ms)")) {
            List<String> lines = diff.output().lines().toList();
            int at = lines.indexOf(table);
            assertTrue(at >= 0, () -> diff.explain("no table " + table));
            assertTrue(lines.subList(at, Math.min(at + 6, lines.size())).stream().anyMatch(
                    l -> l.matches("\\| mobilenet_v1 \\| fp32 \\| at-load \\| " + value + " \\| " + value + " \\|.*")),
                    () -> diff.explain("no mobilenet_v1 row with a value per run under " + table));
        }
    }

    private Path jar() {
        Path jar = basedir.resolve("target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": Arm64IT runs after package (mvn verify)");
        return jar;
    }

    private Path root(Userland userland) {
        Path root = userland.root();
        require(Files.isExecutable(root.resolve(JAVA_IN_ROOT)), "no arm64 Java in " + root
                + " (build it with .ci/setup-arm64.sh" + userland.setupArgs + ", or set " + userland.env + ")");
        return root;
    }

    /** A host shell script that runs the root's arm64 java under qemu, for the JVMs the runner starts. */
    private Path javaUnderQemu(Userland userland, Path script) throws IOException {
        Path root = root(userland);
        Files.writeString(script, "#!/bin/sh\nexec '" + qemu + "' -L '" + root + "' '" + root.resolve(JAVA_IN_ROOT)
                + "' \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private static String hostJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path resultsUnder(Path out) throws IOException {
        try (var files = Files.walk(out)) {
            return files.filter(f -> f.getFileName().toString().equals("results.csv")).findFirst()
                    .orElseThrow(() -> new AssertionError("no results.csv under " + out));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Skips the test when the emulator is missing, but fails it on CI, which must run it. */
    private static void require(boolean present, String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(present, message + " [CI=true: the arm64 test must run]");
        } else {
            Assumptions.assumeTrue(present, message);
        }
    }

    /**
     * Runs the root's arm64 java under qemu on an emulated Cortex-A57; its output goes to
     * target/arm64-it/NAME.log, and into the test log when an assertion on it fails.
     */
    private Outcome runEmulated(Userland userland, String name, Duration timeout, String... javaArgs)
            throws IOException, InterruptedException {
        Path root = root(userland);
        List<String> command = new ArrayList<>(List.of(qemu.toString(), "-L", root.toString(),
                root.resolve(JAVA_IN_ROOT).toString()));
        command.addAll(List.of(javaArgs));
        return run(name + "-" + userland.dir, command, NANO_CPU, timeout);
    }

    private Outcome run(String name, List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createDirectories(basedir.resolve("target/arm64-it")).resolve(name + ".log");
        Outcome out = new Outcome(ChildProcess.run(command, basedir, env, log, timeout));
        if (out.child.timedOut()) {
            fail(out.explain("timed out after " + timeout));
        }
        return out;
    }

    private record Outcome(ChildProcess child) {
        String output() {
            return child.output();
        }

        void assertExit(int expected) {
            assertEquals(expected, child.exitCode(), () -> explain("exit code " + child.exitCode()));
        }

        void assertContains(String expected) {
            assertTrue(child.output().contains(expected), () -> explain("output lacks '" + expected + "'"));
        }

        /** Prints the child's output into the test log and returns a message that names the command. */
        String explain(String problem) {
            System.out.println(child.transcript());
            return problem + " from: " + String.join(" ", child.command());
        }
    }
}
