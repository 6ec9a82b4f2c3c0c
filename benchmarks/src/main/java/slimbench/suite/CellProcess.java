package slimbench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import slimbench.bench.ChildJvm;

/**
 * One cell run as a child process tree (the JMH host and its forks), watched from outside: a hard
 * wall-clock limit that ends the tree whatever it is doing (native model loading included), an
 * optional ceiling on the tree's resident memory, and a classification of how it ended.
 */
final class CellProcess {
    /** How a cell's process ended, before its rows are read. */
    public record Outcome(Status status, String message) {
        /**
         * How a cell process's failure ends the cell, from the exception it caught (JMH hands a
         * fork's exceptions to the host as causes and suppressed exceptions): a runtime that cannot
         * run the cell, memory (Java's or TensorFlow's), JMH's lock, a full disk, a fork killed by a
         * signal, or an error with the innermost message.
         */
        static Outcome of(Throwable t) {
            List<Throwable> all = new ArrayList<>();
            collect(t, all);
            for (Throwable e : all) {
                if (e instanceof UnsupportedOperationException) {
                    return new Outcome(Status.UNSUPPORTED, String.valueOf(e.getMessage()));
                }
            }
            for (Throwable e : all) {
                String message = String.valueOf(e.getMessage());
                if (e instanceof OutOfMemoryError || e instanceof TFResourceExhaustedException) {
                    return new Outcome(Status.OOM, e.toString());
                }
                if (message.contains("Unable to acquire the JMH lock")) {
                    // JMH allows one benchmark run per machine, so that two never disturb each other's numbers.
                    return new Outcome(Status.ENVIRONMENT, "another JMH benchmark was running on this machine (it "
                            + "holds " + System.getProperty("java.io.tmpdir") + "/jmh.lock): run one suite at a time");
                }
                if (e instanceof IOException || e instanceof java.io.UncheckedIOException) {
                    if (message.contains("No space left on device")) {
                        return new Outcome(Status.ENVIRONMENT, "the disk is full: " + message);
                    }
                }
                Matcher fork = FORK_EXIT.matcher(message);
                if (e instanceof IllegalStateException && fork.matches() && Integer.parseInt(fork.group(1)) > 128) {
                    int signal = Integer.parseInt(fork.group(1)) - 128;
                    return new Outcome(Status.KILLED, "the fork died by signal " + signal + signalName(signal));
                }
            }
            Throwable inner = all.stream().filter(e -> !e.getClass().getName().startsWith("org.openjdk.jmh")
                    && !(e instanceof java.util.concurrent.ExecutionException)
                    && !(e instanceof java.lang.reflect.InvocationTargetException)).reduce((a, b) -> b).orElse(t);
            return new Outcome(Status.ERROR, plain(inner.toString()));
        }

        private static void collect(Throwable t, List<Throwable> into) {
            if (t == null || into.contains(t)) {
                return;
            }
            into.add(t);
            collect(t.getCause(), into);
            for (Throwable s : t.getSuppressed()) {
                collect(s, into);
            }
        }
    }

    /** How JMH's host says a fork ended badly (its exception, not a log line). */
    private static final Pattern FORK_EXIT = Pattern.compile("Forked VM failed with exit code (\\d+)");

    /** Below this much free space where the cell writes its log and rows, a silent failure is the disk's. */
    private static final long LOW_SPACE = 1L << 20;

    /** The cells' processes alive now, for the shutdown hook to end. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** Held while a cell's rows are written, so a shutdown never cuts a write, nor records a cell it ended. */
    private static final Object WRITING = new Object();
    private static volatile boolean stopping;
    /** Held while a cell's cgroup is made and its process started (see {@link #start}). */
    private static final Object STARTING = new Object();

    private CellProcess() {}

    /**
     * Starts a cell's process and tracks it, atomically against {@link #stopAll}: a cell whose
     * cgroup is made and whose process starts while the runner is being stopped would otherwise be
     * neither killed nor removed. Once stopping, nothing new starts.
     */
    static Process start(MemoryCeiling ceiling, String name, java.util.function.Function<MemoryCeiling.Scope,
            ProcessBuilder> builder, MemoryCeiling.Scope[] scope) throws IOException {
        synchronized (STARTING) {
            if (stopping) {
                throw new IOException("the runner is being stopped");
            }
            scope[0] = ceiling.open(name);
            Process p = builder.apply(scope[0]).start();
            RUNNING.add(p);
            return p;
        }
    }

    static void untrack(Process p) {
        RUNNING.remove(p);
    }

    /** Records a cell's rows whole: a shutdown under way waits for them. */
    static void record(Runnable write) {
        synchronized (WRITING) {
            write.run();
        }
    }

    /**
     * Records a cell's rows unless the runner is being stopped (then the cell was cut short, and
     * nothing is recorded: {@code --resume} runs it again); says whether it recorded.
     */
    static boolean recordUnlessStopping(Runnable write) {
        synchronized (WRITING) {
            if (stopping) {
                return false;
            }
            write.run();
            return true;
        }
    }

    /**
     * On Ctrl-C or SIGTERM: no fork outlives the runner, the cell it cut short is not recorded (so
     * {@code --resume} runs it again), and a write in progress finishes before the JVM exits.
     */
    static void stopAll() {
        synchronized (STARTING) {
            stopping = true;
        }
        new ArrayList<>(RUNNING).forEach(CellProcess::killTree);
        MemoryCeiling.removeCgroups();
        synchronized (WRITING) {
            // waits for a cell's rows being written
        }
    }

    /**
     * A cell that failed without saying why, on a disk with (almost) no space left: the disk
     * failed, not the cell (its log could not even record the exception).
     */
    private static Optional<Outcome> diskFull(Path log) {
        try {
            var store = Files.getFileStore(log);
            long free = store.getUsableSpace();
            if (free < LOW_SPACE) {
                return Optional.of(new Outcome(Status.ENVIRONMENT, "the disk holding " + log.getParent()
                        + " is full (" + (free >> 10) + " KiB free): the cell could not write its log or rows"));
            }
        } catch (IOException e) {
            // no store to ask: keep the cell's own outcome
        }
        return Optional.empty();
    }

    /**
     * The command that runs {@link CellMain} in a JVM like this one ({@link ChildJvm}): its JMH
     * looks at its runner's lock and runs under it, on a small heap (the JMH host only
     * coordinates; the forks hold the models).
     */
    static List<String> command(List<String> cellArgs) {
        List<String> jvmFlags = new ArrayList<>(JmhLock.cellOptions());
        jvmFlags.add("-Xmx512m");
        List<String> cmd = ChildJvm.command(jvmFlags, CellMain.class);
        cmd.addAll(cellArgs);
        return cmd;
    }

    /** Runs the command with its output in {@code log}, within the limits, and says how it ended. */
    static Outcome run(List<String> command, Path log, Duration timeout, MemoryCeiling ceiling)
            throws IOException, InterruptedException {
        MemoryCeiling.Scope[] scope = new MemoryCeiling.Scope[1];
        Process started;
        try {
            started = start(ceiling, log.getFileName().toString(), s -> {
                ProcessBuilder pb = new ProcessBuilder(s.command(command)).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                if (!Boolean.getBoolean("slimbench.verbose")) pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
                slimbench.engine.ThreadSettings.ENV.forEach(pb.environment()::putIfAbsent);
                return pb;
            }, scope);
        } catch (IOException | RuntimeException e) {
            if (scope[0] != null) {
                scope[0].close();
            }
            throw e;
        }
        try (MemoryCeiling.Scope limit = scope[0]) {
            Process p = started;
            try {
                limit.watch(p);
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    killTree(p);
                    return new Outcome(Status.TIMEOUT, "no result within " + timeout.toSeconds()
                            + " s; the watchdog ended the cell's process tree");
                }
                Optional<String> breach = limit.breach();
                if (breach.isPresent()) {
                    return new Outcome(Status.KILLED, breach.get());
                }
                Outcome o = classify(p.exitValue());
                return o.status() == Status.ERROR ? diskFull(log).orElse(o) : o;
            } finally {
                killTree(p);
                untrack(p);
            }
        }
    }

    /** Ends a process and every descendant (the JMH forks), forcibly, and waits for them. */
    static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone already, or not ours to wait for
            }
        }
    }

    /**
     * How a cell ended by its exit code alone: OK, killed by a signal, or an error the cell's own
     * {@link Outcome} (written beside its rows, read by the runner) says more about; a cell that
     * died without writing one says so here. No status is read from the log.
     */
    static Outcome classify(int exitCode) {
        if (exitCode == 0) {
            return new Outcome(Status.OK, "");
        }
        if (exitCode > 128) {
            return new Outcome(Status.KILLED, "the cell process died by signal " + (exitCode - 128)
                    + signalName(exitCode - 128));
        }
        return new Outcome(Status.ERROR, "the cell process exited with code " + exitCode + " without saying why");
    }

    /** Our own checks' messages are written for the user: without the exception's class name. */
    private static String plain(String exception) {
        for (String own : new String[] {"java.lang.IllegalArgumentException: ", "java.lang.IllegalStateException: "}) {
            if (exception.startsWith(own)) {
                return exception.substring(own.length());
            }
        }
        return exception;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL: e.g. the kernel's OOM killer)";
            case 15 -> " (SIGTERM)";
            case 11 -> " (SIGSEGV)";
            case 6 -> " (SIGABRT)";
            default -> "";
        };
    }
}
