package slimbench.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line a user sees when TensorFlow's natives cannot load, from JavaCPP's errors as they come. */
class NativeLoadTest {
    private static final String CACHED = "/root/.javacpp/cache/benchmarks.jar/org/tensorflow/internal/c_api/linux-arm64/libjnitensorflow.so";

    /** What JavaCPP 1.5.11 threw on Debian 11 arm64 (glibc 2.31, GCC 10) for the published binding, as recorded. */
    private static UnsatisfiedLinkError debian11Failure(String libstdcxx) {
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("no jnitensorflow in java.library.path: /usr/java/packages/lib:"
                + "/usr/lib/aarch64-linux-gnu/jni:/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu:/usr/lib/jni:/lib:/usr/lib");
        outer.initCause(new UnsatisfiedLinkError(CACHED + ": " + libstdcxx
                + ": version `GLIBCXX_3.4.29' not found (required by " + CACHED + ")"));
        return outer;
    }

    @Test
    void aMissingVersionNamesTheLibraryTheVersionWhatThisSystemHasAndWhatToDo(@TempDir Path root) throws Exception {
        // Any arm64 ELF stands in for the system's libstdc++ here (this one defines no GLIBCXX_ versions);
        // reading the newest definition from a real libstdc++ is the next test.
        Path lib = root.resolve("usr/lib/aarch64-linux-gnu/libstdc++.so.6");
        Files.createDirectories(lib.getParent());
        Files.write(lib, ElfVersionsTest.published());

        String line = NativeLoad.explain(debian11Failure("/usr/lib/aarch64-linux-gnu/libstdc++.so.6"), "linux-arm64", root,
                Optional.of("2.31"));

        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("TensorFlow's native library libjnitensorflow.so (linux-arm64) cannot load: "
                + "it needs GLIBCXX_3.4.29 from libstdc++.so.6, and this system's has no GLIBCXX_ versions (glibc 2.31); "
                + "run it where libstdc++.so.6 has GLIBCXX_3.4.29"), line);
        assertTrue(line.contains("glibc 2.27") || line.contains("GLIBC_2.27"), line);
        assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    }

    @Test
    void whatThisSystemHasIsTheNewestVersionItsLibraryDefines() throws Exception {
        Path hostLibstdcxx = Path.of("/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(hostLibstdcxx), "no x86-64 Debian libstdc++ here");
        String newest = ElfVersions.read(hostLibstdcxx.toRealPath()).definitions().stream()
                .filter(d -> d.startsWith("GLIBCXX_3.4.")).max(java.util.Comparator.comparing(
                        d -> d.substring("GLIBCXX_".length()), ElfVersions::compareVersions)).orElseThrow();
        assertTrue(ElfVersions.compareVersions(newest.substring(8), "3.4.25") >= 0, newest); // GCC 8 or later

        String line = NativeLoad.explain(debian11Failure(hostLibstdcxx.toString()), "linux-x86_64", Path.of("/"),
                Optional.empty());

        assertTrue(line.contains("this system's has up to " + newest + "; "), line);
        assertFalse(line.contains("arm64 natives"), "the arm64 advice is for arm64 only: " + line);
    }

    @Test
    void aMissingLibrarySaysToInstallIt() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(CACHED + ": libstdc++.so.6: cannot open shared object file: "
                + "No such file or directory");

        String line = NativeLoad.explain(e, "linux-arm64", Path.of("/"), Optional.of("2.31"));

        assertEquals("TensorFlow's native libraries (linux-arm64) cannot load: libstdc++.so.6 is not installed; "
                + "install it (on Debian/Ubuntu: the package holding libstdc++.so.6)", line);
    }

    @Test
    void aPlatformWithoutNativesInTheJarSaysWhichItHas() {
        String line = NativeLoad.explain(new UnsatisfiedLinkError("no jnitensorflow in java.library.path"), "macosx-arm64",
                Path.of("/"), Optional.empty());

        assertTrue(line.contains("linux-x86_64 and linux-arm64") && line.contains("macosx-arm64"), line);
    }

    @Test
    void anythingElseIsTheLoadersFirstLine() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("something odd\nsecond line");

        String line = NativeLoad.explain(e, "linux-x86_64", Path.of("/"), Optional.empty());

        assertTrue(line.contains("cannot load: something odd;") && !line.contains("second line"), line);
    }

    @Test
    void aLoadThatWorksIsNoProblem() {
        assertEquals(Optional.empty(), NativeLoad.attempt(() -> "2.18.0", () -> "linux-x86_64"));
        assertTrue(NativeLoad.attempt(() -> {
            throw new NoClassDefFoundError("Could not initialize class org.tensorflow.TensorFlow");
        }, () -> "linux-x86_64").isPresent());
    }
}
