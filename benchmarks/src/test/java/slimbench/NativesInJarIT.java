package slimbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.natives.ElfVersions;
import slimbench.natives.NativeLoad;

/**
 * The natives inside the built benchmarks.jar: every linux-arm64 one loads on Ubuntu 18.04
 * (JetPack 4.6, the Jetson Nano's last) as far as symbol versions go, since no 18.04 root can be
 * had here; everything else is byte for byte what TensorFlow Java and JavaCPP publish.
 *
 * <p>How to run: {@code mvn verify -Dit.test=NativesInJarIT}
 */
class NativesInJarIT {
    private static final Pattern NATIVE = Pattern.compile("org/(tensorflow|bytedeco)/.*/(linux-[^/]+)/[^/]+\\.so(\\.\\d+)*");

    @TempDir
    Path tmp;

    @Test
    void noArm64NativeNeedsMoreThanUbuntu1804HasExceptWeakly() throws IOException {
        List<String> tooNew = new ArrayList<>();
        int read = 0;
        try (JarFile jar = new JarFile(builtJar().toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (!isNative(e, "linux-arm64")) {
                    continue;
                }
                // Extracted rather than read onto the heap: libtensorflow_cc.so.2 is 700 MB.
                Path file = tmp.resolve("native.so");
                try (InputStream in = jar.getInputStream(e)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                for (ElfVersions.Need n : ElfVersions.read(file).needs()) {
                    if (!n.weak() && ElfVersions.Limits.UBUNTU_18_04.exceeds(n)) {
                        tooNew.add(e.getName() + ": " + n);
                    }
                }
                read++;
            }
        }
        assertTrue(read >= 5, "read only " + read + " linux-arm64 natives"); // tensorflow_cc, framework, jni, omp, jnijavacpp
        assertEquals(List.of(), tooNew, "needs newer than " + ElfVersions.Limits.UBUNTU_18_04);
    }

    @Test
    void everyOtherNativeIsThePublishedOneByteForByte() throws IOException {
        Map<String, String> built = new TreeMap<>();
        Map<String, String> published = new TreeMap<>();
        try (JarFile jar = new JarFile(builtJar().toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (isNative(e, null) && !e.getName().equals(NativeLoad.ARM64_BINDING)) {
                    built.put(e.getName(), sha256(jar, e));
                }
            }
        }
        for (Path dependency : publishedNativeJars()) {
            try (JarFile jar = new JarFile(dependency.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    if (isNative(e, null) && !e.getName().equals(NativeLoad.ARM64_BINDING)) {
                        published.put(e.getName(), sha256(jar, e));
                    }
                }
            }
        }
        assertTrue(built.keySet().stream().anyMatch(n -> n.contains("linux-x86_64/libtensorflow_cc.so.2")), built.toString());
        assertEquals(published, built);
    }

    /**
     * JavaCPP reuses a copy in ~/.javacpp/cache/benchmarks.jar/... when its size and time match the
     * jar entry's; the adapted binding has the published one's size, so its time must differ or a
     * copy extracted by an older benchmarks.jar would be loaded instead.
     */
    @Test
    void theAdaptedBindingIsNotMistakenForACachedPublishedOne() throws IOException {
        long builtTime;
        long builtSize;
        try (JarFile jar = new JarFile(builtJar().toFile())) {
            JarEntry e = jar.getJarEntry(NativeLoad.ARM64_BINDING);
            builtTime = e.getTime();
            builtSize = e.getSize();
        }
        for (Path dependency : publishedNativeJars()) {
            try (JarFile jar = new JarFile(dependency.toFile())) {
                JarEntry e = jar.getJarEntry(NativeLoad.ARM64_BINDING);
                if (e != null) {
                    assertEquals(e.getSize(), builtSize, "the edit is in place");
                    assertNotEquals(e.getTime(), builtTime, "same size and time: JavaCPP's cache would keep a stale copy");
                    return;
                }
            }
        }
        throw new AssertionError("no published linux-arm64 binding among " + publishedNativeJars());
    }

    private static boolean isNative(JarEntry e, String platform) {
        var m = NATIVE.matcher(e.getName());
        return !e.isDirectory() && m.matches() && (platform == null || m.group(2).equals(platform));
    }

    /** The published native jars, as Maven resolved them onto this test's classpath (from ~/.m2). */
    private static List<Path> publishedNativeJars() {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.matches("(tensorflow-core-native|javacpp)-[\\d.]+-linux-.*\\.jar")) {
                jars.add(Path.of(entry));
            }
        }
        assertFalse(jars.isEmpty(), "no published native jars on the classpath");
        return jars;
    }

    private static Path builtJar() {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/benchmarks.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": this test runs after package (mvn verify)");
        return jar;
    }

    private static String sha256(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = new DigestInputStream(jar.getInputStream(e), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }
}
