package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files of the cache: none outlives an interrupted writer, and old ones are swept. */
class TempFilesTest {
    @TempDir
    Path dir;

    /** Makes a temporary file as a generation does, says where, and waits to be stopped. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            Path tmp = AtomicFile.tempBeside(Path.of(args[0]));
            System.out.println(tmp);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void aWriterStoppedByCtrlCOrSigtermLeavesNoTemporaryFile() throws Exception {
        for (String signal : List.of("INT", "TERM")) {
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Writer.class.getName(),
                    dir.resolve("fp32-at-load.pb").toString()).redirectErrorStream(true).start();
            Path tmp;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                tmp = Path.of(in.readLine());
                assertTrue(Files.exists(tmp), "the writer made " + tmp);
                assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertFalse(Files.exists(tmp), "SIG" + signal + " left " + tmp);
            System.out.println("outcome SIG" + signal + " during a write: no temporary file left");
        }
    }

    @Test
    void theNextUseOfTheCacheSweepsAbandonedTemporaryFiles() throws Exception {
        Path file = ModelFiles.frozenPath(dir, Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, 1);
        Path models = Files.createDirectories(file.toAbsolutePath().getParent());
        Path oldFile = Files.writeString(models.resolve(".fp32-at-load.pb123.tmp"), "half a model");
        Path oldDir = Files.createDirectories(models.resolve(".fp32-ahead.weights-456"));
        Files.writeString(oldDir.resolve("w0"), "filters");
        Path fresh = Files.writeString(models.resolve(".fp32-fp16.pb789.tmp"), "being written");
        FileTime old = FileTime.from(Instant.now().minus(AtomicFile.ABANDONED).minusSeconds(5));
        Files.setLastModifiedTime(oldFile, old);
        Files.setLastModifiedTime(oldDir, old);

        Generator.ensure(dir, Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, 1);
        assertFalse(Files.exists(oldFile));
        assertFalse(Files.exists(oldDir));
        assertTrue(Files.exists(fresh), "a file another writer may be writing now is left alone");
        try (Stream<Path> left = Files.list(models)) {
            assertEquals(List.of(".fp32-fp16.pb789.tmp"), left.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".")).toList());
        }
    }
}
