package slimbench.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding trtexec and its version without a GPU, from its first line (the fake replays each
 * version's); what each version is asked, and why there is none to use.
 *
 * <p>How to run: {@code mvn test -Dtest=TrtexecLookupTest}
 */
class TrtexecLookupTest {
    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty(Trtexec.PROPERTY);
    }

    @Test
    void theVersionComesFromTrtexecItself() throws Exception {
        for (String v : new String[] {"8.2", "8.5", "10.3"}) {
            Trtexec.use(FakeTrtexec.install(dir.resolve(v), v, ""));

            Trtexec t = Trtexec.lookup().require();

            assertEquals(v, t.version().major() + "." + t.version().minor());
            assertEquals(v.equals("10.3") ? "--skipInference" : "--buildOnly", t.buildOnly());
        }
    }

    @Test
    void somethingElseCalledTrtexecIsNoTrtexec() throws Exception {
        Path other = Files.writeString(dir.resolve("trtexec"), "#!/bin/sh\necho 'usage: something else'\n");
        assertTrue(other.toFile().setExecutable(true));
        Trtexec.use(other);

        Trtexec.Lookup l = Trtexec.lookup();

        assertTrue(l.trtexec().isEmpty());
        assertEquals(other + " printed no TensorRT version (not NVIDIA's trtexec?): usage: something else", l.problem());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, l::require);
        assertEquals(l.problem(), e.getMessage());
        assertTrue(l.describe().endsWith(": tensorrt cells will be recorded UNSUPPORTED"), l.describe());
    }

    @Test
    void anOlderTensorRtIsSaidSo() throws Exception {
        Path old = Files.writeString(dir.resolve("trtexec"),
                "#!/bin/sh\necho '&&&& RUNNING TensorRT.trtexec [TensorRT v7103] # trtexec --help'\n");
        assertTrue(old.toFile().setExecutable(true));
        Trtexec.use(old);

        assertEquals("TensorRT 7.1.3 (" + old + ") is older than 8.2, the oldest whose trtexec this runtime was "
                + "written for", Trtexec.lookup().problem());
    }

    @Test
    void aGivenPathThatIsNoProgramIsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trtexec.use(dir.resolve("missing")));

        assertEquals("--trtexec " + dir.resolve("missing") + " is not an executable file", e.getMessage());
    }
}
