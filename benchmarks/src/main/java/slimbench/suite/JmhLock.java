package slimbench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * JMH's one-benchmark-per-machine lock ({@code jmh.lock} in {@code java.io.tmpdir}), held by a run
 * from before its first cell to its end. JMH's {@code Runner} takes it with {@link
 * FileChannel#tryLock} for each of its runs and gives up at once when another process holds it, so a
 * run whose cells each took it would lose every cell that started while another benchmark ran
 * (recorded ENVIRONMENT), and another benchmark could start between two cells. Held here, it is
 * waited for once, up front, naming the holder; the cells' JMH is then told to run under its
 * runner's lock ({@link #cellOptions}).
 *
 * <p>{@code -Djmh.ignoreLock=true}, JMH's own way to run regardless, is honoured the same way: the
 * run says who holds the lock and goes on, and so do its cells.
 *
 * <p>POSIX locks belong to the process: this JVM opens the file once, through the one channel that
 * holds the lock, since closing any other descriptor of it would drop the lock.
 */
public final class JmhLock implements AutoCloseable {
    static final String FILE = "jmh.lock";
    /** JMH's property to run although another holds the lock. */
    private static final String IGNORE = "jmh.ignoreLock";
    /** How often a waiting run tries again: JMH's own runs take it for seconds to hours. */
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Path PROC = Path.of("/proc");

    /** The lock this JVM holds now, for the cells it starts. */
    private static volatile JmhLock held;

    private final Path file;
    private final FileChannel channel;
    /** Null when another holds it and {@value #IGNORE} says to run regardless. */
    private final FileLock lock;

    private JmhLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file JMH in this JVM, and in the cells it starts, looks at. */
    public static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), FILE);
    }

    /**
     * Takes the lock. While another process holds it, either waits, saying who holds it (once, and
     * again when the holder changes), or, without {@code wait}, throws an IOException naming the
     * holder before anything has run.
     */
    public static JmhLock take(PrintStream out, boolean wait) throws IOException, InterruptedException {
        Path file = file();
        FileChannel channel = open(file);
        try {
            long started = System.nanoTime();
            String announced = null;
            boolean lookedAgain = false;
            while (true) {
                FileLock lock;
                Optional<String> who;
                try {
                    lock = channel.tryLock();
                    who = lock != null ? Optional.empty() : holder(file);
                } catch (OverlappingFileLockException e) {
                    lock = null; // this JVM holds it, through another channel
                    who = Optional.of("pid " + ProcessHandle.current().pid() + " (this process)");
                }
                if (lock == null && who.isEmpty() && !lookedAgain) {
                    lookedAgain = true; // no holder to be seen: it may have let go just now
                    continue;
                }
                lookedAgain = false;
                if (lock != null) {
                    if (announced != null) {
                        out.println("JMH's lock is free after " + Plan.format(Duration.ofNanos(System.nanoTime() - started))
                                + ": the run starts");
                    }
                    JmhLock taken = new JmhLock(file, channel, lock);
                    held = taken;
                    return taken;
                }
                String holder = who.orElse("a process this user cannot see");
                if (Boolean.getBoolean(IGNORE)) {
                    out.println("JMH's lock " + file + " is held by " + holder + "; ignored, as -D" + IGNORE
                            + "=true asks: this run shares the machine with it");
                    return new JmhLock(file, channel, null);
                }
                if (!wait) {
                    throw new IOException("JMH's lock " + file + " is held by " + holder + ": another benchmark is "
                            + "running on this machine, and --no-wait does not wait for it; run again when it ends, "
                            + "or without --no-wait to wait for it");
                }
                if (!holder.equals(announced)) {
                    out.println("waiting for JMH's lock " + file + ", held by " + holder + ": one benchmark at a time "
                            + "on a machine, so that neither disturbs the other's figures; the run starts when it is "
                            + "free (Ctrl-C stops, --no-wait exits instead)");
                    announced = holder;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The JVM options of a cell's process: this JVM's {@code java.io.tmpdir}, so that its JMH looks
     * at the same lock, and while this JVM holds that lock, leave to run under it.
     */
    static List<String> cellOptions() {
        List<String> options = new ArrayList<>(List.of("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        JmhLock h = held;
        if (h != null && h.lock.isValid() && h.file.equals(file()) || Boolean.getBoolean(IGNORE)) {
            options.add("-D" + IGNORE + "=true");
        }
        return options;
    }

    @Override
    public void close() throws IOException {
        held = null;
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }

    /** Opens the file as JMH does: created world-writable, so another user's JMH can take it too. */
    private static FileChannel open(Path file) throws IOException {
        try {
            java.io.File f = file.toFile();
            if (f.createNewFile()) {
                f.setWritable(true, false);
            }
            return new RandomAccessFile(f, "rw").getChannel();
        } catch (IOException e) {
            throw new IOException("cannot open JMH's lock " + file + ": " + e.getMessage() + " (JMH's own runs would "
                    + "fail the same way; -Djava.io.tmpdir=DIR gives this run a lock of its own)", e);
        }
    }

    /**
     * Who holds the lock another process holds, as far as this user can see: the process {@code
     * /proc/locks} names for the file's inode, else another process that has the file open; its pid
     * and command line.
     */
    static Optional<String> holder(Path file) {
        return lockingPid(file).or(() -> opener(file)).map(JmhLock::describe);
    }

    private static Optional<Long> lockingPid(Path file) {
        try {
            long dev = (Long) Files.getAttribute(file, "unix:dev");
            long ino = (Long) Files.getAttribute(file, "unix:ino");
            // The kernel prints MAJOR:MINOR in hex and the inode in decimal; stat's st_dev encodes them so.
            long major = (dev >>> 8) & 0xfff | (dev >>> 32) & ~0xfffL;
            long minor = dev & 0xff | (dev >>> 12) & ~0xffL;
            String key = String.format(Locale.ROOT, "%02x:%02x:%d", major, minor, ino);
            for (String line : Files.readAllLines(PROC.resolve("locks"))) {
                String[] f = line.trim().split("\\s+");
                // "1: POSIX  ADVISORY  WRITE 4242 fe:00:2146417 0 EOF"; a waiter's line has "->" after the number
                if (f.length >= 6 && !f[1].equals("->") && f[5].equals(key)) {
                    long pid = Long.parseLong(f[4]);
                    if (pid > 0) {
                        return Optional.of(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/locks (not Linux) or no unix attributes: look for who has it open instead
        }
        return Optional.empty();
    }

    private static Optional<Long> opener(Path file) {
        try (Stream<Path> pids = Files.list(PROC)) {
            Path real = file.toRealPath();
            String self = Long.toString(ProcessHandle.current().pid()); // this process has it open to ask
            return pids.filter(p -> p.getFileName().toString().matches("\\d+") && !p.getFileName().toString().equals(self))
                    .filter(p -> opens(p.resolve("fd"), real))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .min(Long::compare);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean opens(Path fds, Path file) {
        try (Stream<Path> s = Files.list(fds)) {
            return s.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false; // another user's process, or gone
        }
    }

    /** {@code pid 4242 (java -jar benchmarks.jar run --preset quick)}; a SlimBench cell names its run too. */
    private static String describe(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        String what = h.map(JmhLock::command).orElse("ended since");
        String parent = what.contains(CellMain.class.getName())
                ? h.flatMap(ProcessHandle::parent).map(p -> ", a cell of pid " + p.pid() + " (" + command(p) + ")").orElse("")
                : "";
        return "pid " + pid + " (" + what + parent + ")";
    }

    /** A process's command line without its JVM's flags and class path: what its user typed, nearly. */
    private static String command(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        List<String> words = new ArrayList<>();
        info.command().ifPresent(c -> words.add(Path.of(c).getFileName().toString()));
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-cp") || args[i].equals("-classpath") || args[i].equals("--class-path")) {
                i++;
            } else if (!args[i].startsWith("-D") && !args[i].startsWith("-X")) {
                words.add(args[i]);
            }
        }
        String line = String.join(" ", words);
        return line.isEmpty() ? "command unknown" : line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
