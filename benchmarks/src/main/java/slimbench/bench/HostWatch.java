package slimbench.bench;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ends a measuring JVM (a JMH fork) soon after the cell host that started it dies, however it
 * died: a SIGKILLed host leaves no hook to end its forks, and the JVM cannot ask the kernel for a
 * parent-death signal, so an orphaned fork would otherwise go on loading and timing a model nobody
 * reads, on the cores the next cell measures. The host names itself in {@value #PROPERTY}; a fork
 * started without it (JMH run by hand) is left alone.
 *
 * <p>The check is one {@code /proc} read by a daemon thread once per {@link #PERIOD_MS} ms, which
 * sleeps in between: next to a timed region of milliseconds per inference it costs nothing that
 * shows, and it never touches the benchmark thread.
 */
public final class HostWatch {
    /** System property of the fork: the pid of the cell host whose death ends it. */
    public static final String PROPERTY = "slimbench.host.pid";
    static final long PERIOD_MS = 1000;
    /** The fork's exit status when its host is gone (no one reads it; it tells a core dump's reader why). */
    static final int ORPHANED = 3;

    private static boolean started;

    private HostWatch() {}

    /** Starts the watch once per JVM, if this JVM was started by a cell host. */
    public static synchronized void start() {
        String pid = System.getProperty(PROPERTY, "");
        if (started || pid.isBlank()) {
            return;
        }
        started = true;
        // Taken now, so a pid reused after the host's death is not mistaken for it (the handle knows its start time).
        Optional<ProcessHandle> host = ProcessHandle.of(Long.parseLong(pid.strip()));
        Thread watch = new Thread(() -> {
            try {
                while (host.map(ProcessHandle::isAlive).orElse(false)) {
                    TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
                }
            } catch (InterruptedException e) {
                return; // the JVM is ending anyway
            }
            Runtime.getRuntime().halt(ORPHANED);
        }, "slimbench-host-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
