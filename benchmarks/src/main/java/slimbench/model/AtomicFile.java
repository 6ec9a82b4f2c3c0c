package slimbench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The one way SlimBench writes a whole file: into a temporary file beside it, then one atomic
 * move, so a reader sees the old file or the new one, never half of one (models, reports,
 * charts, conditions, rewritten CSVs). Temporaries are named {@code .NAME...tmp} and tracked:
 * Ctrl-C or SIGTERM runs shutdown hooks but no finally block, so a hook deletes what is still being
 * written, and {@link #sweep} removes what a SIGKILL or a power cut left.
 */
public final class AtomicFile {
    /** How long a temporary must have been left alone before it counts as abandoned, not being written. */
    static final Duration ABANDONED = Duration.ofMinutes(1);

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_PROGRESS) {
                try {
                    deleteTree(p);
                } catch (IOException | RuntimeException e) {
                    // best effort on the way out; sweep() gets the rest
                }
            }
        }, "slimbench-temp-cleanup"));
    }

    private AtomicFile() {}

    /** Writes {@code content} to {@code file} atomically; an error names the file (a full disk names none). */
    public static void write(Path file, byte[] content) throws IOException {
        Path tmp = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            tmp = tempBeside(file);
            Files.write(tmp, content);
            commit(tmp, file);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                release(tmp);
            }
        }
    }

    public static void write(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** What writes a file that another program makes: it is given the temporary to fill. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * {@link #write} for a file another program writes (trtexec's saved engine): {@code writer}
     * fills a temporary beside {@code file}, which is moved into place only when it returns.
     */
    public static void writeBy(Path file, Writer writer) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = tempBeside(file);
        try {
            writer.writeTo(tmp);
            commit(tmp, file);
        } finally {
            release(tmp);
        }
    }

    /**
     * A tracked temporary file in the same directory (so the final move is atomic), readable by
     * others as a normal file is: {@code createTempFile} alone would leave it owner-only.
     */
    static Path tempBeside(Path file) throws IOException {
        Path tmp = track(Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp"));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
        return tmp;
    }

    /** A tracked temporary folder beside {@code folder}, for a folder written as a whole. */
    static Path tempFolderBeside(Path folder) throws IOException {
        return track(Files.createTempDirectory(folder.toAbsolutePath().getParent(), "." + folder.getFileName() + "-"));
    }

    /** Moves a finished temporary into place, replacing what was there. */
    static void commit(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a temporary file or folder (if still there) and stops tracking it. */
    static void release(Path tmp) throws IOException {
        try {
            deleteTree(tmp);
        } finally {
            IN_PROGRESS.remove(tmp);
        }
    }

    /**
     * Deletes the temporaries ({@code .NAME...tmp}, {@code .NAME-...} folders) that an interrupted
     * writer left in {@code dir}, once untouched for {@link #ABANDONED}: a writer in another
     * process is still changing its own.
     */
    public static void sweep(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long before = System.currentTimeMillis() - ABANDONED.toMillis();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                boolean temporary = name.startsWith(".") && (name.endsWith(".tmp") || name.matches("\\..*\\.weights-\\d+"));
                if (temporary && !IN_PROGRESS.contains(p) && Files.getLastModifiedTime(p).toMillis() < before) {
                    deleteTree(p);
                }
            }
        }
    }

    /** Deletes a file or a folder and all it holds; nothing when it is not there. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path track(Path tmp) {
        IN_PROGRESS.add(tmp);
        return tmp;
    }
}
