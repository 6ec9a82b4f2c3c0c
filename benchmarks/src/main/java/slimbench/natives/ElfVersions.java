package slimbench.natives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The symbol-version needs of a 64-bit little-endian ELF shared library ({@code .gnu.version_r},
 * with {@code .gnu.version} and {@code .dynsym} saying which symbols use each), and the one edit
 * that lets TensorFlow Java's arm64 JNI binding load on the older glibc and libstdc++ of a Jetson.
 *
 * <p>Why the edit: {@code libjnitensorflow.so} of TensorFlow Java 1.1.0 (linux-arm64) was linked
 * on glibc 2.34+ and GCC 11+, so nine of its undefined symbols carry versions no Jetson before
 * JetPack 6 has: {@code dlopen, dlsym, dlerror, dlclose, pthread_once, pthread_key_create,
 * pthread_getspecific, pthread_setspecific} at {@code GLIBC_2.34} (the release that moved libdl
 * and libpthread into libc) and {@code std::__throw_bad_array_new_length} at {@code GLIBCXX_3.4.29}.
 * Everything else it and the other arm64 natives need is GLIBC_2.17 / GLIBCXX_3.4.19 or older.
 * glibc's loader rejects a library at load time when a non-weak version need is missing, and binds
 * a versioned reference only to that exact version. {@link #relax} therefore makes two edits, both
 * needed (each alone was tried and fails: shared/specs/jetson-userlands.md):
 * <ol>
 *   <li>each such need's {@code vna_flags} gets {@code VER_FLG_WEAK}, so a missing version is no
 *       longer fatal at load ({@code _dl_check_map_versions} skips weak needs);</li>
 *   <li>each symbol that used it gets version index 1 ({@code VER_NDX_GLOBAL}, unversioned): the
 *       loader still records the weak need's name for its index, so a reference left at that index
 *       would look for exactly {@code dlopen@GLIBC_2.34} and fail.</li>
 * </ol>
 * What an unversioned reference binds to: glibc's lookup accepts, for a reference without a
 * version, a definition at the library's oldest version (index 2) or its default one. On glibc
 * 2.27 and 2.31 {@code dlopen} and the rest are {@code @@GLIBC_2.17} in libdl.so.2 and
 * libpthread.so.0, both already in the lookup scope without adding anything: the binding's own
 * dependency {@code libtensorflow_framework.so.2} lists them as {@code DT_NEEDED} (and the JVM's
 * launcher has them loaded). On glibc 2.34+ the same reference binds to libc's
 * {@code dlopen@GLIBC_2.17}, the compatibility alias of the same function, so nothing changes where
 * the published library already worked. The TensorFlow libraries themselves keep their GLIBC_2.17
 * versions, so the process uses one libdl/libpthread throughout.
 *
 * <p>{@code std::__throw_bad_array_new_length} (GCC 11+) is what an array {@code new T[n]} calls when
 * {@code n} is negative or its byte size overflows; libstdc++ before GCC 11 (Ubuntu 18.04's GCC 8,
 * 20.04's GCC 10) has no such symbol. The binding has no {@code BIND_NOW}, so its PLT entry is
 * resolved only on the first call: loading and every ordinary call work, and only an array
 * allocation that would have thrown {@code std::bad_array_new_length} instead ends the process with
 * "symbol lookup error". The binding calls it from three places (its {@code b}/{@code bl}
 * instructions to that PLT entry): two in {@code tensorflow::java::CustomGradFunc}, which runs only
 * for a gradient registered from Java (SlimBench registers none), and one in a
 * {@code std::unordered_map} rehash, for a bucket count beyond the address space. A size that large
 * is a bug that would have failed either way. No other symbol or needed library is touched, and the file's size and
 * layout stay the same (a few bytes change in place), so the edit is reproducible byte for byte.
 *
 * <p>The build runs {@link #main} on the published jar's library (pom.xml, process-classes).
 */
public final class ElfVersions {
    /** {@code VER_FLG_WEAK} in a {@code vna_flags}. */
    public static final int WEAK = 0x2;
    /** {@code VER_NDX_GLOBAL}: an unversioned symbol. */
    private static final int GLOBAL = 1;

    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final int DYNSYM_ENTRY = 24;

    /** One {@code Vernaux} entry: a version of {@code file} this library needs. */
    public record Need(String file, String version, boolean weak, List<String> symbols) {
        @Override
        public String toString() {
            return file + " " + version + (weak ? " (weak)" : "") + ": " + String.join(", ", symbols);
        }
    }

    private record Section(int type, long offset, long size, int link, int info) {}

    private final String name;
    private final ByteBuffer elf;
    private final Section dynsym;
    private final Section dynstr;
    private final Section versym;
    private final Section verneed;
    private final Section verdef;

    private ElfVersions(String name, ByteBuffer buffer) {
        this.name = name;
        this.elf = buffer.order(ByteOrder.LITTLE_ENDIAN);
        if (elf.capacity() < 64 || elf.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException(name + " is not an ELF file");
        }
        if (elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IllegalArgumentException(name + " is not a 64-bit little-endian ELF file");
        }
        List<Section> sections = sections();
        this.dynsym = find(sections, SHT_DYNSYM);
        this.dynstr = dynsym == null ? null : sections.get(dynsym.link());
        this.versym = find(sections, SHT_GNU_VERSYM);
        this.verneed = find(sections, SHT_GNU_VERNEED);
        this.verdef = find(sections, SHT_GNU_VERDEF);
    }

    /** An ELF file's bytes, copied so that {@link #relax} can edit them; {@code name} is for messages. */
    public static ElfVersions of(String name, byte[] bytes) {
        return new ElfVersions(name, ByteBuffer.wrap(bytes.clone()));
    }

    /** A file, mapped read-only (TensorFlow's libraries reach 700 MB: they are not read onto the heap). */
    public static ElfVersions read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ElfVersions(file.toString(), ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    /** Every version need, in file order; empty for a library without symbol versioning. */
    public List<Need> needs() {
        Map<Integer, List<String>> byIndex = symbolsByVersionIndex();
        List<Need> needs = new ArrayList<>();
        forEachAux((file, aux) -> needs.add(new Need(file, string(elf.getInt(aux + 8)),
                (elf.getShort(aux + 4) & WEAK) != 0,
                List.copyOf(byIndex.getOrDefault(elf.getShort(aux + 6) & 0x7fff, List.of())))));
        return needs;
    }

    /** The versions this library defines ({@code .gnu.version_d}), e.g. libstdc++'s GLIBCXX_3.4 ... 3.4.28. */
    public List<String> definitions() {
        List<String> defs = new ArrayList<>();
        if (verdef == null) {
            return defs;
        }
        int vd = (int) verdef.offset();
        for (int i = 0; i < verdef.info(); i++) {
            if ((elf.getShort(vd + 2) & 1) == 0) { // VER_FLG_BASE names the file itself, not a version
                defs.add(string(elf.getInt(vd + elf.getInt(vd + 12))));
            }
            int next = elf.getInt(vd + 16);
            if (next == 0) {
                break;
            }
            vd += next;
        }
        return defs;
    }

    /**
     * Marks every need {@code tooNew} accepts weak and makes the symbols that used it unversioned.
     *
     * @return the needs relaxed, as they were before
     */
    public List<Need> relax(Predicate<Need> tooNew) {
        Map<Integer, List<String>> byIndex = symbolsByVersionIndex();
        List<Need> relaxed = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        forEachAux((file, aux) -> {
            int index = elf.getShort(aux + 6) & 0x7fff;
            Need n = new Need(file, string(elf.getInt(aux + 8)), (elf.getShort(aux + 4) & WEAK) != 0,
                    List.copyOf(byIndex.getOrDefault(index, List.of())));
            if (tooNew.test(n)) {
                relaxed.add(n);
                indices.add(index);
                elf.putShort(aux + 4, (short) (elf.getShort(aux + 4) | WEAK));
            }
        });
        if (versym != null) {
            for (int i = 0; i < symbolCount(); i++) {
                int at = (int) versym.offset() + 2 * i;
                if (indices.contains(elf.getShort(at) & 0x7fff)) {
                    elf.putShort(at, (short) GLOBAL); // the hidden bit goes too: a reference is never hidden
                }
            }
        }
        return relaxed;
    }

    public byte[] bytes() {
        byte[] copy = new byte[elf.capacity()];
        elf.get(0, copy);
        return copy;
    }

    /**
     * Usage: {@code ElfVersions IN OUT}: writes IN relaxed to {@link Limits#UBUNTU_18_04} as OUT,
     * and prints what changed. Fails when nothing needed relaxing (the published library changed:
     * look again before shipping it).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ElfVersions IN OUT");
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        ElfVersions elf = of(in.toString(), Files.readAllBytes(in));
        List<Need> relaxed = elf.relax(Limits.UBUNTU_18_04::exceeds);
        if (relaxed.isEmpty()) {
            throw new IllegalStateException(in + " needs nothing newer than " + Limits.UBUNTU_18_04
                    + ": nothing to adapt (has the published library changed?)");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, elf.bytes());
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("adapted " + out.getFileName() + ": " + Adapted.describe(relaxed));
    }

    /** The newest symbol versions a userland provides, per version family ({@code GLIBC_}, ...). */
    public record Limits(String userland, Map<String, String> newest) {
        /** Ubuntu 18.04, JetPack 4.6 (the Nano's last): glibc 2.27, GCC 8's libstdc++ and libgcc_s. */
        public static final Limits UBUNTU_18_04 = new Limits("Ubuntu 18.04 (JetPack 4.6)", Map.of(
                "GLIBC_", "2.27", "GLIBCXX_", "3.4.25", "CXXABI_", "1.3.11", "GCC_", "7.0.0"));

        /** True when the need asks for a version of a known family newer than this userland has. */
        public boolean exceeds(Need n) {
            String limit = newest.get(family(n.version()));
            return limit != null && compareVersions(n.version().substring(family(n.version()).length()), limit) > 0;
        }

        @Override
        public String toString() {
            return userland + " (" + String.join(", ", new TreeMap<>(newest).entrySet().stream()
                    .map(e -> e.getKey() + e.getValue()).toList()) + ")";
        }
    }

    /** How a set of relaxed needs reads in conditions.csv and the build log. */
    static final class Adapted {
        private Adapted() {}

        static String describe(Collection<Need> relaxed) {
            int symbols = relaxed.stream().mapToInt(n -> n.symbols().size()).sum();
            return String.join(",", relaxed.stream().map(Need::version).toList())
                    + " needs weak, " + symbols + " symbols unversioned";
        }
    }

    /** Orders dotted version numbers numerically: 3.4.9 before 3.4.25. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    /** The family of a version name: {@code GLIBCXX_} of {@code GLIBCXX_3.4.29}. */
    static String family(String version) {
        return version.replaceFirst("[0-9.]+$", "");
    }

    private interface AuxVisitor {
        void visit(String file, int auxOffset);
    }

    private void forEachAux(AuxVisitor visitor) {
        if (verneed == null) {
            return;
        }
        int vn = (int) verneed.offset();
        for (int i = 0; i < verneed.info(); i++) {
            String file = string(elf.getInt(vn + 4));
            int aux = vn + elf.getInt(vn + 8);
            for (int j = 0; j < (elf.getShort(vn + 2) & 0xffff); j++) {
                visitor.visit(file, aux);
                aux += elf.getInt(aux + 12);
            }
            int next = elf.getInt(vn + 12);
            if (next == 0) {
                break;
            }
            vn += next;
        }
    }

    private Map<Integer, List<String>> symbolsByVersionIndex() {
        Map<Integer, List<String>> byIndex = new TreeMap<>();
        if (versym == null || dynsym == null) {
            return byIndex;
        }
        for (int i = 1; i < symbolCount(); i++) {
            int index = elf.getShort((int) versym.offset() + 2 * i) & 0x7fff;
            String symbol = string(elf.getInt((int) dynsym.offset() + DYNSYM_ENTRY * i));
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(symbol);
        }
        return byIndex;
    }

    private int symbolCount() {
        return (int) (dynsym.size() / DYNSYM_ENTRY);
    }

    private String string(int offsetInDynstr) {
        int start = (int) dynstr.offset() + offsetInDynstr;
        int end = start;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - start];
        elf.get(start, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private List<Section> sections() {
        long shoff = elf.getLong(0x28);
        int entsize = elf.getShort(0x3a) & 0xffff;
        int count = elf.getShort(0x3c) & 0xffff;
        if (shoff <= 0 || entsize < 64 || shoff + (long) count * entsize > elf.capacity()) {
            throw new IllegalArgumentException(name + " has no readable section headers");
        }
        List<Section> s = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int h = (int) (shoff + (long) i * entsize);
            Section sec = new Section(elf.getInt(h + 4), elf.getLong(h + 0x18), elf.getLong(h + 0x20),
                    elf.getInt(h + 0x28), elf.getInt(h + 0x2c));
            if (sec.type() != 8 && sec.offset() + sec.size() > elf.capacity()) { // 8: SHT_NOBITS takes no file space
                throw new IllegalArgumentException(name + ": section " + i + " lies outside the file");
            }
            s.add(sec);
        }
        return s;
    }

    private static Section find(List<Section> sections, int type) {
        return sections.stream().filter(s -> s.type() == type).findFirst().orElse(null);
    }
}
