package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Same model and seed, same bytes; and a cache entry whose bytes changed is noticed and made again,
 * never benchmarked.
 */
class DeterminismTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Model.class)
    void sameSeedSameBytesOtherSeedOtherBytes(Model model) throws Exception {
        ModelFiles.Written a = generate(model, 1, dir.resolve("a.pb"));
        ModelFiles.Written b = generate(model, 1, dir.resolve("b.pb"));
        ModelFiles.Written c = generate(model, 2, dir.resolve("c.pb"));
        assertEquals(a.sha256(), b.sha256());
        assertEquals(a.sha256(), ModelFiles.sha256(a.path()));
        assertTrue(Arrays.equals(Files.readAllBytes(a.path()), Files.readAllBytes(b.path())));
        assertNotEquals(a.sha256(), c.sha256());
        assertEquals(a.bytes(), c.bytes(), "only the values differ, not the layout");
    }

    @Test
    void aFlippedByteFailsVerificationAndIsRegenerated() throws Exception {
        Path file = ensure().path();
        assertTrue(ModelFiles.verify(file));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertFalse(ModelFiles.verify(file));
        assertRegenerated(file);
    }

    @Test
    void aTruncatedFileFailsVerificationAndIsRegenerated() throws Exception {
        Path file = ensure().path();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertFalse(ModelFiles.verify(file));
        assertRegenerated(file);
    }

    @Test
    void aMissingRecordFailsVerification() throws Exception {
        Path file = ensure().path();
        Files.delete(file.resolveSibling(file.getFileName() + ".sha256"));
        assertFalse(ModelFiles.verify(file));
        assertRegenerated(file);
    }

    @Test
    void aRecordFromAnOlderFormatIsNotTrusted() throws Exception {
        Path file = ensure().path();
        Path record = file.resolveSibling(file.getFileName() + ".sha256");
        String[] fields = Files.readString(record).trim().split(" ");
        assertEquals(ModelFiles.FORMAT, fields[3]);
        Files.writeString(record, fields[0] + " " + fields[1] + " " + fields[2] + "\n"); // as SlimBench wrote it before formats
        assertFalse(ModelFiles.verify(file));
        assertRegenerated(file);
    }

    private ModelFiles.Written ensure() throws Exception {
        return Generator.ensure(dir, Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, 1);
    }

    private void assertRegenerated(Path file) throws Exception {
        String expected = generate(Model.MOBILENET_V1, 1, dir.resolve("reference.pb")).sha256();
        ModelFiles.Written again = ensure();
        assertEquals(file, again.path());
        assertTrue(ModelFiles.verify(file));
        assertEquals(expected, again.sha256());
        assertEquals(expected, ModelFiles.sha256(file));
    }

    private static ModelFiles.Written generate(Model model, long seed, Path file) throws Exception {
        return Generator.generate(model, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, Weights.seeded(seed), file);
    }
}
