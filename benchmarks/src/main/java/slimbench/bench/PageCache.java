package slimbench.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import slimbench.model.FileCachePolicy;
import slimbench.model.MappedWeights;

/**
 * A model's files in the kernel's page cache: evicted before a cold shot ({@code posix_fadvise
 * DONTNEED}, after {@code fdatasync}, since dirty pages cannot be dropped), or read through for a
 * warm one; and how much of them is resident ({@code mincore} over a read-only mapping, which
 * faults nothing in). Linux through libc (JNA, which OSHI brings); elsewhere nothing is evicted
 * and residency is unknown. A filesystem may ignore the advice (tmpfs keeps its pages), which is
 * why the shot records the residency it measured rather than the policy it asked for.
 */
public final class PageCache {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    private static final int SC_PAGESIZE = 30;

    private interface C extends Library {
        int open(String path, int flags);

        int close(int fd);

        int fdatasync(int fd);

        int posix_fadvise(int fd, long offset, long len, int advice);

        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int mincore(Pointer addr, long length, byte[] vec);

        long sysconf(int name);
    }

    private static final C LIBC = libc();

    private PageCache() {}

    private static C libc() {
        try {
            return Native.load("c", C.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Every file a model is read from: the file (or a SavedModel's whole tree), and an {@code
     * ahead} graph's folder of mapped filters.
     */
    public static List<Path> filesOf(Path model) throws IOException {
        List<Path> files = new ArrayList<>();
        addTree(model, files);
        if (Files.isRegularFile(model)) {
            addTree(MappedWeights.folderOf(model), files);
        }
        return files;
    }

    private static void addTree(Path root, List<Path> files) throws IOException {
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        } else if (Files.isRegularFile(root)) {
            files.add(root);
        }
    }

    /**
     * Prepares {@code files} as the policy says and returns the percent of their bytes resident
     * afterwards, just before the shot; empty where residency cannot be measured.
     */
    public static OptionalDouble prepare(List<Path> files, FileCachePolicy policy) throws IOException {
        if (policy == FileCachePolicy.COLD) {
            evict(files);
        } else {
            readThrough(files);
        }
        return residentPercent(files);
    }

    /** Asks the kernel to drop the files' cached pages; false where it cannot be asked (not Linux). */
    public static boolean evict(List<Path> files) throws IOException {
        if (LIBC == null) {
            return false;
        }
        for (Path f : files) {
            int fd = open(f);
            try {
                LIBC.fdatasync(fd); // a read-only descriptor may sync; pages still dirty would stay cached
                int err = LIBC.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
                if (err != 0) {
                    throw new IOException("posix_fadvise(DONTNEED) on " + f + " failed: errno " + err);
                }
            } finally {
                LIBC.close(fd);
            }
        }
        return true;
    }

    /** Reads every byte once, so the files are in the page cache (as far as memory allows). */
    public static void readThrough(List<Path> files) throws IOException {
        byte[] buf = new byte[1 << 20];
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                while (in.read(buf) > 0) {
                    // only the kernel's copy matters
                }
            }
        }
    }

    /** The percent of the files' bytes in the page cache now (pages counted whole); empty if unknown. */
    public static OptionalDouble residentPercent(List<Path> files) throws IOException {
        if (LIBC == null) {
            return OptionalDouble.empty();
        }
        long page = LIBC.sysconf(SC_PAGESIZE);
        long pages = 0;
        long resident = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0) {
                continue;
            }
            int fd = open(f);
            try {
                Pointer map = LIBC.mmap(null, size, PROT_READ, MAP_SHARED, fd, 0);
                if (map == null || Pointer.nativeValue(map) == -1L) {
                    return OptionalDouble.empty();
                }
                try {
                    byte[] vec = new byte[(int) ((size + page - 1) / page)];
                    if (LIBC.mincore(map, size, vec) != 0) {
                        return OptionalDouble.empty();
                    }
                    pages += vec.length;
                    for (byte b : vec) {
                        resident += b & 1;
                    }
                } finally {
                    LIBC.munmap(map, size);
                }
            } finally {
                LIBC.close(fd);
            }
        }
        return pages == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * resident / pages);
    }

    private static int open(Path f) throws IOException {
        int fd = LIBC.open(f.toString(), O_RDONLY);
        if (fd < 0) {
            throw new IOException("cannot open " + f + " to manage its page cache");
        }
        return fd;
    }
}
