package slimbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar on a system whose TensorFlow natives it does not carry: JavaCPP is told it runs on
 * linux-armhf ({@code -Dorg.bytedeco.javacpp.platform}), so loading fails as it would on a 32-bit
 * Raspberry Pi OS, with JavaCPP's real error. Each command says so in one line and exits 2.
 *
 * <p>How to run: {@code mvn verify -Dit.test=NativeLoadFailureIT}
 */
class NativeLoadFailureIT {
    private static final String EXPECTED = "error: TensorFlow's native libraries cannot load: this jar carries them "
            + "for linux-x86_64 and linux-arm64, and this system is linux-armhf";

    @TempDir
    Path tmp;

    @Test
    void everyTensorFlowCommandIsOneLineAndExitTwo() throws Exception {
        for (List<String> args : List.of(List.of("check", "--model", "mobilenet_v1", "--scaled"),
                List.of("generate", "--model", "mobilenet_v1", "--out", tmp.toString()),
                List.of("profile", "--model", "mobilenet_v1", "--scale", "tiny"),
                List.of("accuracy"), List.of("overhead"))) {
            ChildProcess out = jar(args, "armhf-" + args.get(0));
            assertEquals(2, out.exitCode(), out.transcript());
            assertEquals(List.of(EXPECTED + " (run it on a Linux PC or a Jetson)"),
                    out.output().lines().filter(l -> !l.isBlank()).toList(), out.transcript());
        }
    }

    @Test
    void doctorPrintsWhatItCanReadThenTheLine() throws Exception {
        ChildProcess out = jar(List.of("doctor"), "armhf-doctor");

        assertEquals(2, out.exitCode(), out.transcript());
        List<String> lines = out.output().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("glibc\\.version\\s+\\d+\\.\\d+")), out.transcript());
        assertTrue(lines.stream().anyMatch(l -> l.matches("jvm\\.arch\\s+\\S+")), out.transcript());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tf.native.error ")), out.transcript());
        assertTrue(lines.get(lines.size() - 1).startsWith(EXPECTED), out.transcript());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), out.transcript());
    }

    /** run records every cell with the reason; a model already in the cache still gets its file row. */
    @Test
    void runRecordsEveryCellUnsupportedAndTheCachedModelsFileRow() throws Exception {
        Path cache = tmp.resolve("cache");
        ChildProcess generated = ChildProcess.run(command(List.of("generate", "--model", "mobilenet_v1", "--out",
                cache.toString(), "--input-size", "75", "--width", "0.125", "--classes", "10"), false),
                tmp, Map.of(), tmp.resolve("generate.log"), Duration.ofMinutes(3));
        assertEquals(0, generated.exitCode(), generated.transcript());

        ChildProcess out = jar(List.of("run", "--runtimes", "tensorflow", "--preset", "quick", "--models", "mobilenet_v1", "--variants", "fp32,fp16",
                "--optimize", "at-load", "--scale", "tiny", "--cache", cache.toString(), "--out", tmp.resolve("reports").toString()),
                "armhf-run");

        assertEquals(2, out.exitCode(), out.transcript());
        assertTrue(out.output().lines().anyMatch(l -> l.startsWith(EXPECTED) && l.contains("recorded UNSUPPORTED")),
                out.transcript());
        Path results;
        try (var files = Files.walk(tmp.resolve("reports"))) {
            results = files.filter(f -> f.getFileName().toString().equals("results.csv")).findFirst().orElseThrow();
        }
        List<String> rows = Files.readAllLines(results).subList(1, Files.readAllLines(results).size());
        // fp32's file was generated above; fp16's was not and cannot be without TensorFlow.
        assertEquals(1, rows.stream().filter(r -> r.startsWith("mobilenet_v1,fp32,at-load,0,file,file_size,") && r.contains(",OK,")).count(),
                String.join("\n", rows));
        int cpus = Runtime.getRuntime().availableProcessors(); // the budget 0 resolves to, as the emulated JVM sees it
        for (String cell : List.of("fp32,at-load," + cpus + ",cold", "fp32,at-load," + cpus + ",steady",
                "fp16,at-load," + cpus + ",cold", "fp16,at-load," + cpus + ",steady")) {
            assertTrue(rows.stream().anyMatch(r -> r.startsWith("mobilenet_v1," + cell + ",") && r.contains(",UNSUPPORTED,")
                    && r.contains("linux-armhf")), cell + " not UNSUPPORTED:\n" + String.join("\n", rows));
        }
        String conditions = Files.readString(results.resolveSibling("conditions.csv"));
        assertTrue(conditions.contains("tf.native.error,") && conditions.contains("glibc.version,"), conditions);
    }

    private ChildProcess jar(List<String> args, String name) throws Exception {
        return ChildProcess.run(command(args, true), tmp, Map.of(), tmp.resolve(name + ".log"), Duration.ofMinutes(3));
    }

    private static List<String> command(List<String> args, boolean armhf) {
        Path jar = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": this test runs after package (mvn verify)");
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (armhf) {
            c.add("-Dorg.bytedeco.javacpp.platform=linux-armhf");
        }
        c.addAll(List.of("-jar", jar.toString()));
        c.addAll(args);
        return c;
    }
}
