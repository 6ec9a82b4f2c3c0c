package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import slimbench.model.FileCachePolicy;

/** Eviction and residency on real files: a disk file leaves the cache when told, a tmpfs file cannot. */
class PageCacheTest {
    private static Path file(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path f = Files.createTempFile(dir, "pagecache", ".bin");
        byte[] b = new byte[4 << 20];
        new Random(1).nextBytes(b);
        Files.write(f, b);
        return f;
    }

    @Test
    void aDiskFileIsEvictedAndReadBackIn() throws Exception {
        Path f = file(Path.of("target"));
        try {
            assumeTrue(PageCache.residentPercent(List.of(f)).isPresent(), "no mincore here");
            assumeTrue(!Files.getFileStore(f).type().equals("tmpfs"), "target/ is on a tmpfs");
            assertTrue(PageCache.prepare(List.of(f), FileCachePolicy.COLD).getAsDouble() <= 5);
            assertEquals(100, PageCache.prepare(List.of(f), FileCachePolicy.WARM).getAsDouble(), 5);
            assertTrue(PageCache.prepare(List.of(f), FileCachePolicy.COLD).getAsDouble() <= 5);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void aTmpfsKeepsItsPagesAndTheMeasureSaysSo() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "no tmpfs at /dev/shm");
        Path f = file(shm);
        try {
            assertTrue(PageCache.prepare(List.of(f), FileCachePolicy.COLD).getAsDouble() >= 95,
                    "eviction cannot drop a tmpfs file's only copy");
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void aModelsFilesAreItsGraphAndItsMappedFilters() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "pagecache");
        Path graph = Files.writeString(dir.resolve("fp32-ahead.pb"), "g");
        Path weights = Files.createDirectories(dir.resolve("fp32-ahead.weights"));
        Path filter = Files.writeString(weights.resolve("w0"), "w");
        Files.writeString(dir.resolve("fp32-at-load.pb"), "other");
        assertEquals(List.of(graph, filter), PageCache.filesOf(graph));
    }
}
