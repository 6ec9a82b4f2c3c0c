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

/**
 * Runs the shaded benchmarks.jar as linux-arm64, the Jetson Nano's platform, under qemu user-mode
 * emulation, so the arm64 TensorFlow native inside the one jar is loaded and used on every build.
 * The arm64 Java root comes from {@code .ci/setup-arm64.sh} ({@code $SLIMBENCH_ARM64_ROOT} or the
 * script's default path). Without qemu or the root the tests are skipped, except under
 * {@code CI=true}, where a missing emulator is a broken build rather than a reason to skip.
 *
 * <p>How to run: {@code .ci/setup-arm64.sh && mvn verify -Dit.test=Arm64IT}
 */
class Arm64IT {
    private static final String QEMU = "qemu-aarch64-static";
    private static final String JAVA_IN_ROOT = "usr/lib/jvm/java-17-openjdk-arm64/bin/java";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Path basedir;
    private Path qemu;
    private Path root;

    /** Per test rather than @BeforeAll, so a skip is reported on each test with its reason. */
    @BeforeEach
    void findEmulator() {
        basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        root = arm64Root();
        qemu = ChildProcess.onPath(QEMU);
        require(qemu != null, QEMU + " is not on PATH (install Debian's qemu-user-static: .ci/setup-arm64.sh)");
        require(Files.isExecutable(root.resolve(JAVA_IN_ROOT)),
                "no arm64 Java in " + root + " (build it with .ci/setup-arm64.sh, or set SLIMBENCH_ARM64_ROOT)");
    }

    /** The emulator itself, apart from anything of ours: tells a broken root from a broken jar. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void emulatedJavaIsAarch64() throws Exception {
        Outcome out = runEmulated("java-version", Duration.ofMinutes(1), "-XshowSettings:properties", "-version");

        out.assertExit(0);
        out.assertContains("os.arch = aarch64");
        out.assertContains("version \"17");
    }

    @Test
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void checkLoadsAndRunsScaledMobilenetOnArm64() throws Exception {
        Path jar = basedir.resolve("target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": Arm64IT runs after package (mvn verify)");

        Outcome out = runEmulated("check-mobilenet_v1", TIMEOUT,
                "-jar", jar.toString(), "check", "--model", "mobilenet_v1", "--scaled");

        out.assertExit(0);
        out.assertContains("os.arch=aarch64");
        assertTrue(out.output().lines().anyMatch(l -> l.startsWith("check OK")),
                () -> out.explain("no line starting with 'check OK'"));
    }

    /** A mapped ahead graph on arm64: no oneDNN binding there, TensorFlow's own kernels read the mapped filters. */
    @Test
    @Timeout(value = 11, unit = TimeUnit.MINUTES)
    void checkRunsAMappedAheadGraphOnArm64() throws Exception {
        Path jar = basedir.resolve("target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": Arm64IT runs after package (mvn verify)");

        // depthwise convolutions and relu6, and resnet_v2's fused batch norm: every kind of op an ahead graph has
        for (String model : List.of("mobilenet_v1", "resnet_v2_50")) {
            Outcome out = runEmulated("check-" + model + "-ahead", TIMEOUT,
                    "-jar", jar.toString(), "check", "--model", model, "--scaled", "--optimize", "ahead");
            out.assertExit(0);
            out.assertContains("os.arch=aarch64");
            assertTrue(out.output().lines().anyMatch(l -> l.startsWith("check OK")),
                    () -> out.explain("no line starting with 'check OK'"));
        }
    }

    private static Path arm64Root() {
        String fromEnv = System.getenv("SLIMBENCH_ARM64_ROOT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path cacheDir = cache != null && !cache.isBlank()
                ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return cacheDir.resolve("slimbench/arm64-root");
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
     * Runs the arm64 java under qemu; its output goes to target/arm64-it/NAME.log, and into the
     * test log when an assertion on it fails.
     */
    private Outcome runEmulated(String name, Duration timeout, String... javaArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                qemu.toString(), "-L", root.toString(), root.resolve(JAVA_IN_ROOT).toString()));
        command.addAll(List.of(javaArgs));
        Path log = Files.createDirectories(basedir.resolve("target/arm64-it")).resolve(name + ".log");

        Outcome out = new Outcome(ChildProcess.run(command, basedir, Map.of(), log, timeout));
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
