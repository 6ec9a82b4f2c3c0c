package slimbench.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The reader and the edit, on the published arm64 binding from TensorFlow Java's own jar. */
class ElfVersionsTest {
    private static final List<String> GLIBC_2_34 = List.of("dlclose", "dlerror", "dlopen", "dlsym",
            "pthread_getspecific", "pthread_key_create", "pthread_once", "pthread_setspecific");

    @Test
    void readsThePublishedBindingsVersionNeeds() throws IOException {
        Map<String, ElfVersions.Need> needs = byVersion(ElfVersions.of("published", published()).needs());

        assertEquals("libc.so.6", needs.get("libc.so.6 GLIBC_2.34").file());
        assertEquals(GLIBC_2_34, needs.get("libc.so.6 GLIBC_2.34").symbols().stream().sorted().toList());
        assertEquals(List.of("_ZSt28__throw_bad_array_new_lengthv"), needs.get("libstdc++.so.6 GLIBCXX_3.4.29").symbols());
        assertFalse(needs.get("libc.so.6 GLIBC_2.34").weak());
        assertFalse(needs.get("libstdc++.so.6 GLIBCXX_3.4.29").weak());
        assertTrue(needs.get("libc.so.6 GLIBC_2.17").symbols().contains("malloc"), needs.get("libc.so.6 GLIBC_2.17").toString());
    }

    @Test
    void relaxMarksOnlyTheTooNewNeedsWeakAndUnversionsTheirSymbols() throws IOException {
        byte[] original = published();
        ElfVersions elf = ElfVersions.of("published", original);

        List<ElfVersions.Need> relaxed = elf.relax(ElfVersions.Limits.UBUNTU_18_04::exceeds);

        assertEquals(List.of("GLIBCXX_3.4.29", "GLIBC_2.34"), relaxed.stream().map(ElfVersions.Need::version).toList());
        Map<String, ElfVersions.Need> before = byVersion(ElfVersions.of("before", original).needs());
        Map<String, ElfVersions.Need> after = byVersion(ElfVersions.of("after", elf.bytes()).needs());
        assertEquals(before.keySet(), after.keySet());
        for (String v : before.keySet()) {
            boolean tooNew = v.endsWith(" GLIBC_2.34") || v.endsWith(" GLIBCXX_3.4.29");
            assertEquals(tooNew, after.get(v).weak(), v);
            assertEquals(tooNew ? List.of() : before.get(v).symbols(), after.get(v).symbols(), v);
        }
        // In place: same size, and only the two flag words and nine version indices differ.
        byte[] edited = elf.bytes();
        assertEquals(original.length, edited.length);
        int differing = 0;
        for (int i = 0; i < original.length; i++) {
            differing += original[i] != edited[i] ? 1 : 0;
        }
        assertEquals(11, differing);
        // Again: nothing more to change.
        ElfVersions again = ElfVersions.of("again", edited);
        again.relax(ElfVersions.Limits.UBUNTU_18_04::exceeds);
        assertArrayEquals(edited, again.bytes());
    }

    @Test
    void theBuiltBindingOnTheClasspathIsTheRelaxedPublishedOne() throws IOException {
        // target/classes comes first on the test classpath: the build's adapted copy (pom.xml, process-classes).
        byte[] built;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(NativeLoad.ARM64_BINDING)) {
            built = in.readAllBytes();
        }
        ElfVersions expected = ElfVersions.of("published", published());
        expected.relax(ElfVersions.Limits.UBUNTU_18_04::exceeds);
        assertArrayEquals(expected.bytes(), built);
    }

    @Test
    void limitsCompareVersionNumbersNumerically() {
        ElfVersions.Limits l = ElfVersions.Limits.UBUNTU_18_04;
        assertTrue(l.exceeds(need("GLIBC_2.28")));
        assertFalse(l.exceeds(need("GLIBC_2.27")));
        assertFalse(l.exceeds(need("GLIBC_2.3.4")));
        assertTrue(l.exceeds(need("GLIBCXX_3.4.26")));
        assertFalse(l.exceeds(need("GLIBCXX_3.4.9")));
        assertTrue(l.exceeds(need("CXXABI_1.3.13")));
        assertFalse(l.exceeds(need("tensorflow")));
        assertFalse(l.exceeds(need("GLIBC_PRIVATE")));
    }

    @Test
    void rejectsWhatIsNotA64BitLittleEndianElf() {
        assertThrows(IllegalArgumentException.class, () -> ElfVersions.of("text", "not an ELF file at all, really".getBytes()));
        byte[] elf32 = new byte[64];
        elf32[0] = 0x7f;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        elf32[5] = 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElfVersions.of("elf32", elf32));
        assertTrue(e.getMessage().contains("64-bit little-endian"), e.getMessage());
    }

    private static ElfVersions.Need need(String version) {
        return new ElfVersions.Need("lib", version, false, List.of());
    }

    private static Map<String, ElfVersions.Need> byVersion(List<ElfVersions.Need> needs) {
        return needs.stream().collect(Collectors.toMap(n -> n.file() + " " + n.version(), n -> n));
    }

    /** The binding as TensorFlow Java publishes it: the copy inside its linux-arm64 jar, not target/classes. */
    static byte[] published() throws IOException {
        for (URL url : Collections.list(ElfVersionsTest.class.getClassLoader().getResources(NativeLoad.ARM64_BINDING))) {
            if (url.getProtocol().equals("jar") && url.getPath().contains("tensorflow-core-native")) {
                try (InputStream in = url.openStream()) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IllegalStateException("no tensorflow-core-native linux-arm64 jar on the test classpath");
    }
}
