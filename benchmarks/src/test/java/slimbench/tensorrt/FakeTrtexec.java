package slimbench.tensorrt;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Installs the fake trtexec (test resource {@code trtexec/fake-trtexec.sh}) as an executable named
 * {@code trtexec} in a folder, set to replay one TensorRT version, so it can be put on a PATH or
 * given with {@code --trtexec}: a small launcher with the fake's settings, the test JVM's java and
 * classpath written into it, since a child's environment cannot be set through the runner.
 */
final class FakeTrtexec {
    private FakeTrtexec() {}

    /** {@code dir/trtexec} replaying {@code version} (8.2, 8.5, 10.3), failing as {@code failure} says ("" or "unsupported"). */
    static Path install(Path dir, String version, String failure) throws IOException {
        Path script;
        try {
            script = Path.of(FakeTrtexec.class.getResource("/trtexec/fake-trtexec.sh").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path launcher = Files.createDirectories(dir).resolve("trtexec");
        Files.writeString(launcher, "#!/bin/sh\n"
                + "FAKE_TRTEXEC_VERSION=" + quote(version) + " FAKE_TRTEXEC_FAIL=" + quote(failure)
                + " FAKE_TRTEXEC_JAVA=" + quote(java.toString())
                + " FAKE_TRTEXEC_CP=" + quote(System.getProperty("java.class.path"))
                + " FAKE_TRTEXEC_ARGV0=\"$0\" exec bash " + quote(script.toString()) + " \"$@\"\n");
        if (!launcher.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + launcher + " executable");
        }
        return launcher;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
