package slimbench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A ceiling on the resident memory of a cell's whole process tree, enforced by the runner itself:
 * it samples the tree's RSS and kills the tree at the ceiling, as the kernel's OOM killer would on a
 * device with that much memory.
 */
public final class MemoryCeiling {
    static final MemoryCeiling NONE = new MemoryCeiling(0);
    private static final long PERIOD_MS = 20;

    private final long bytes;

    MemoryCeiling(long bytes) {
        this.bytes = bytes;
    }

    /** The watch over one process tree; {@link Watch#stop} says whether the ceiling was hit. */
    interface Watch {
        Optional<String> stop();
    }

    Watch watch(Process p) {
        if (bytes <= 0) {
            return Optional::empty;
        }
        AtomicReference<String> breach = new AtomicReference<>();
        Thread t = new Thread(() -> {
            long peak = 0;
            while (p.isAlive() && !Thread.currentThread().isInterrupted()) {
                long rss = treeResidentBytes(p.toHandle());
                peak = Math.max(peak, rss);
                if (rss > bytes) {
                    breach.set(String.format(java.util.Locale.ROOT,
                            "resident memory of the cell reached %d MiB, over the %d MiB limit "
                                    + "(enforced by the runner: the tree was killed, as the OOM killer would)",
                            rss >> 20, bytes >> 20));
                    CellProcess.killTree(p);
                    return;
                }
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "slimbench-memory-ceiling");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.ofNullable(breach.get());
        };
    }

    /** Sum of VmRSS over a process and its descendants, from /proc. */
    static long treeResidentBytes(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(h -> residentBytes(h.pid())).sum();
    }

    static long residentBytes(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended between listing and reading
        }
    }

    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> { }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(digits);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("memory size '" + s + "' is not a positive size such as 4g or 512m");
        }
    }
}
