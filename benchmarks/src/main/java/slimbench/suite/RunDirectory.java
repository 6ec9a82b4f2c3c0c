package slimbench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A run directory held by its one writer: an OS lock on {@code run.lock} (which names the
 * holder's pid) for as long as this object is open, and the results CSV with its journal of
 * completed cells.
 *
 * <p>A cell is done only once its rows are on disk and the journal ({@code cells.done}, one
 * {@code cell,end-offset} line per cell, written after the rows and forced to disk) says so.
 * Opening the directory cuts {@code results.csv} back to the end of the last journalled cell, so
 * a cell cut short by an interruption (a torn line, or some of its rows) is removed before
 * anything is appended, and runs again.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String RESULTS = "results.csv";
    static final String JOURNAL = "cells.done";
    static final String LOCK = "run.lock";

    /**
     * The run directories this JVM holds. POSIX locks belong to the process, and closing any
     * descriptor of the file drops them, so this JVM must not even open a lock file it holds.
     */
    private static final Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Set<String> done = new LinkedHashSet<>();
    private final List<String> repairs = new ArrayList<>();

    private RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        this.key = dir.toRealPath();
        if (!HELD.add(key)) {
            throw held(Long.toString(ProcessHandle.current().pid()));
        }
        FileLock l = null;
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // cannot happen while HELD guards this JVM, but would mean the same
        } finally {
            if (l == null) {
                if (ch != null) {
                    ch.close();
                }
                HELD.remove(key);
            }
        }
        if (l == null) {
            throw held(Files.readString(dir.resolve(LOCK), StandardCharsets.UTF_8).strip());
        }
        this.lockChannel = ch;
        this.lock = l;
        try {
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            lockChannel.force(false);
        } catch (IOException e) {
            // a full disk: the lock holds all the same, only a second writer's message lacks the pid
        }
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private IOException held(String holder) {
        return new IOException("another SlimBench (pid " + (holder.isEmpty() ? "unknown" : holder)
                + ") is writing the run directory " + dir + ": let it finish, or stop it first");
    }

    /**
     * A new run directory {@code root/host/timestamp}, made atomically: a name another run took
     * in the same second gets a suffix ({@code -2}, {@code -3}, ...) instead of being shared.
     */
    public static RunDirectory create(Path root, String host) throws IOException {
        Path parent = root.resolve(host);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(parent);
            for (int i = 1; ; i++) {
                Path dir = parent.resolve(i == 1 ? stamp : stamp + "-" + i);
                try {
                    Files.createDirectory(dir);
                    return new RunDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // another run started in the same second: the next suffix
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot create the run directory " + parent.resolve(stamp) + ": "
                    + e.getMessage(), e);
        }
    }

    /** An existing run directory, to resume: locked, and its results cut back to its last complete cell. */
    public static RunDirectory open(Path dir) throws IOException {
        return new RunDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path results() {
        return dir.resolve(RESULTS);
    }

    /** The cells whose rows are all on disk (their last status is in the results). */
    public Set<String> done() {
        return Set.copyOf(done);
    }

    /** What opening the directory repaired, one sentence each, for the user. */
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    /** Appends one cell's rows in one forced write, then journals the cell as done. */
    public synchronized void append(List<ResultRow> rows) {
        ResultsCsv.append(results(), rows);
        String cell = rows.get(0).key();
        try {
            journal(cell + "," + Files.size(results()) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
        done.add(cell);
    }

    private void journal(String lines) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long before = ch.size();
            try {
                ByteBuffer b = StandardCharsets.UTF_8.encode(lines);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(false);
            } catch (IOException e) {
                ch.truncate(before);
                throw new IOException("cannot write " + dir.resolve(JOURNAL) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads the journal and cuts the results back to the end of its last complete entry. A
     * results CSV from before the journal is trusted up to its last complete line, and journalled.
     */
    private void recover() throws IOException {
        Path results = results();
        Path journal = dir.resolve(JOURNAL);
        long size = Files.exists(results) ? Files.size(results) : 0;
        if (!Files.exists(journal)) {
            if (size == 0) {
                return;
            }
            long end = ResultsCsv.completeLength(results);
            cut(results, size, end, "a torn last line");
            StringBuilder lines = new StringBuilder();
            for (ResultRow r : ResultsCsv.read(results)) {
                if (done.add(r.key())) {
                    lines.append(r.key()).append(',').append(end).append('\n');
                }
            }
            journal(lines.toString());
            return;
        }
        String text = Files.readString(journal, StandardCharsets.UTF_8);
        Journal j = Journal.parse(text, size);
        done.addAll(j.done());
        long end = j.end();
        int kept = j.kept();
        if (kept < text.length()) {
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                ch.truncate(kept);
                ch.force(false);
            }
        }
        cut(results, size, end, "rows of a cell cut short by an interruption");
    }

    /**
     * The cells a run directory's journal says are done, read without taking the directory or
     * repairing it: whether a resume has anything left to run, asked before it locks anything.
     */
    public static Set<String> doneIn(Path dir) throws IOException {
        Path results = dir.resolve(RESULTS);
        Path journal = dir.resolve(JOURNAL);
        if (!Files.exists(journal)) { // a results CSV from before the journal: its complete rows
            Set<String> cells = new LinkedHashSet<>();
            (Files.exists(results) ? ResultsCsv.read(results) : List.<ResultRow>of()).forEach(r -> cells.add(r.key()));
            return cells;
        }
        return Journal.parse(Files.readString(journal, StandardCharsets.UTF_8),
                Files.exists(results) ? Files.size(results) : 0).done();
    }

    /**
     * A journal read up to its last complete entry that the results reach: the cells done, the
     * results' length they end at, and the journal's characters that hold them.
     */
    private record Journal(Set<String> done, long end, int kept) {
        static Journal parse(String text, long resultsSize) {
            Set<String> done = new LinkedHashSet<>();
            long end = 0;
            int kept = 0;
            for (String line : text.split("\n", -1)) {
                int comma = line.lastIndexOf(',');
                long at;
                try {
                    at = comma < 0 ? -1 : Long.parseLong(line.substring(comma + 1));
                } catch (NumberFormatException e) {
                    at = -1;
                }
                boolean complete = kept + line.length() + 1 <= text.length(); // ends in a newline
                if (!complete || at < end || at > resultsSize) {
                    break;
                }
                done.add(line.substring(0, comma));
                end = at;
                kept += line.length() + 1;
            }
            return new Journal(done, end, kept);
        }
    }

    private void cut(Path results, long size, long end, String what) throws IOException {
        if (end >= size) {
            return;
        }
        try (FileChannel ch = FileChannel.open(results, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(false);
        }
        repairs.add(String.format(java.util.Locale.ROOT, "%s: cut %d bytes after the last complete cell (%s); "
                + "that cell runs again", results, size - end, what));
    }

    /** Releases the lock; the lock file stays (deleting it would let two writers lock two different files). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
            HELD.remove(key);
        }
    }
}
