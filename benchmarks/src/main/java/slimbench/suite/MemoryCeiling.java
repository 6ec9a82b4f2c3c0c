package slimbench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import slimbench.probe.ProcStatus;

/**
 * A ceiling on the resident memory of a cell's whole process tree, as a device with that much
 * memory would impose. Where the machine lets the runner make a memory cgroup below its own, the
 * kernel enforces it: each cell starts inside its own cgroup with {@code memory.max} (cgroup v2) or
 * {@code memory.limit_in_bytes} (v1), and the kernel's OOM killer ends it. Elsewhere the runner
 * does: it samples the tree's RSS and kills the tree at the ceiling, as the OOM killer would.
 * {@code -Dslimbench.memory.enforcement=runner} forces the runner's way.
 */
public final class MemoryCeiling {
    static final MemoryCeiling NONE = new MemoryCeiling(0, null);
    private static final long PERIOD_MS = 20;
    private static final String FORCE = "slimbench.memory.enforcement";
    /** The cells' cgroups in use, removed by {@link #removeCgroups} if the runner is stopped. */
    private static final java.util.Set<Path> CGROUPS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final long bytes;
    private final CgroupParent kernel; // null: the runner enforces

    private MemoryCeiling(long bytes, CgroupParent kernel) {
        this.bytes = bytes;
        this.kernel = kernel;
    }

    /** The ceiling, enforced by a cgroup if this machine allows one, else by the runner. */
    static MemoryCeiling of(long bytes) {
        if (bytes <= 0) {
            return NONE;
        }
        boolean runnerForced = "runner".equals(System.getProperty(FORCE));
        return new MemoryCeiling(bytes, runnerForced ? null : CgroupParent.find().orElse(null));
    }

    /** How the ceiling is enforced, for the run conditions and the messages of killed cells. */
    String enforcement() {
        if (bytes <= 0) {
            return "none";
        }
        return kernel != null ? "enforced by a cgroup (" + kernel.limitFile() + ")"
                : "enforced by the runner (sampling the tree's RSS)";
    }

    /** The ceiling and its enforcement in words: {@code 4096 MiB, enforced by a cgroup (memory.max)}. */
    String describe() {
        return bytes <= 0 ? "none" : (bytes >> 20) + " MiB, " + enforcement();
    }

    /** The limit over one cell: wraps its command, watches it, says whether it was hit, cleans up. */
    interface Scope extends AutoCloseable {
        /** The command to start instead of {@code command}, so the cell is inside the limit before it allocates. */
        List<String> command(List<String> command);

        void watch(Process p);

        /** After the process ended: why it was killed for memory, if it was. */
        Optional<String> breach();

        @Override
        void close();
    }

    Scope open(String name) throws IOException {
        if (bytes <= 0) {
            return new Scope() {
                public List<String> command(List<String> c) {
                    return c;
                }

                public void watch(Process p) { }

                public Optional<String> breach() {
                    return Optional.empty();
                }

                public void close() { }
            };
        }
        return kernel != null ? kernel.child(name, bytes, describe()) : new Sampling(bytes, describe());
    }

    /** The runner's own enforcement: a thread sampling the tree's RSS. */
    private static final class Sampling implements Scope {
        private final long bytes;
        private final String how;
        private final AtomicReference<String> breach = new AtomicReference<>();
        private Thread thread;

        Sampling(long bytes, String how) {
            this.bytes = bytes;
            this.how = how;
        }

        public List<String> command(List<String> command) {
            return command;
        }

        public void watch(Process p) {
            thread = new Thread(() -> {
                while (p.isAlive() && !Thread.currentThread().isInterrupted()) {
                    long rss = treeResidentBytes(p.toHandle());
                    if (rss > bytes) {
                        breach.set(String.format(Locale.ROOT, "resident memory of the cell reached %d MiB, over "
                                + "the limit of %s: the tree was killed, as the OOM killer would", rss >> 20, how));
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
            thread.setDaemon(true);
            thread.start();
        }

        public Optional<String> breach() {
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.ofNullable(breach.get());
        }

        public void close() {
            breach();
        }
    }

    /** The runner's own cgroup, in which it may make one child cgroup per cell. */
    record CgroupParent(Path dir, boolean v2) {
        String limitFile() {
            return v2 ? "memory.max" : "memory.limit_in_bytes";
        }

        /** The runner's cgroup if a child of it can be given a memory limit (tried, then removed). */
        static Optional<CgroupParent> find() {
            try {
                List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
                List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
                for (CgroupParent candidate : candidates(own, mounts)) {
                    if (candidate.works()) {
                        return Optional.of(candidate);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc or no cgroups: the runner enforces
            }
            return Optional.empty();
        }

        /** v2 first (the unified hierarchy, if it has the memory controller), then v1's memory hierarchy. */
        static List<CgroupParent> candidates(List<String> procSelfCgroup, List<String> mountinfo) {
            List<CgroupParent> out = new ArrayList<>();
            for (boolean v2 : new boolean[] {true, false}) {
                for (String line : procSelfCgroup) {
                    String[] f = line.split(":", 3);
                    boolean match = v2 ? f.length == 3 && f[0].equals("0") && f[1].isEmpty()
                            : f.length == 3 && List.of(f[1].split(",")).contains("memory");
                    if (!match) {
                        continue;
                    }
                    for (String m : mountinfo) {
                        // id parent major:minor root mountpoint options... - fstype source superoptions
                        String[] parts = m.split(" - ", 2);
                        String[] left = parts[0].split(" ");
                        if (parts.length < 2 || left.length < 5) {
                            continue;
                        }
                        String[] right = parts[1].split(" ");
                        boolean type = v2 ? right[0].equals("cgroup2")
                                : right[0].equals("cgroup") && right.length > 2
                                && List.of(right[2].split(",")).contains("memory");
                        if (!type) {
                            continue;
                        }
                        String root = left[3];
                        String path = f[2];
                        if (!root.equals("/") && path.startsWith(root)) {
                            path = path.substring(root.length());
                        }
                        out.add(new CgroupParent(Path.of(left[4], path.replaceFirst("^/", "")), v2));
                    }
                }
            }
            return out;
        }

        private boolean works() {
            Path probe = dir.resolve("slimbench-probe-" + ProcessHandle.current().pid());
            try {
                Files.createDirectory(probe);
                try {
                    if (v2 && !Files.exists(probe.resolve("memory.max"))) {
                        // the memory controller must be delegated to our children; possible only
                        // where the runner's cgroup holds no process (the root), so usually not
                        Files.writeString(dir.resolve("cgroup.subtree_control"), "+memory");
                    }
                    Files.writeString(probe.resolve(limitFile()), Long.toString(1L << 40));
                    return Files.isWritable(probe.resolve("cgroup.procs"));
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        Scope child(String name, long bytes, String how) throws IOException {
            Path cg = dir.resolve("slimbench-" + ProcessHandle.current().pid() + "-"
                    + name.replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.createDirectories(cg);
            CGROUPS.add(cg);
            Files.writeString(cg.resolve(limitFile()), Long.toString(bytes));
            if (!v2 && Files.exists(cg.resolve("memory.memsw.limit_in_bytes"))) {
                try {
                    Files.writeString(cg.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
                } catch (IOException e) {
                    // swap accounting off: the memory limit alone holds
                }
            } else if (v2 && Files.exists(cg.resolve("memory.swap.max"))) {
                Files.writeString(cg.resolve("memory.swap.max"), "0"); // a device without swap
            }
            long before = oomKills(cg);
            // The kernel charges a page to the cgroup that first touched it: TensorFlow's library and
            // a model file already in the page cache are charged to the runner, not the cell, so the
            // cell's resident memory can pass the limit without the kernel acting. The tree's RSS is
            // sampled too, so that the ceiling holds for all the memory the cell has resident.
            Sampling resident = new Sampling(bytes, how);
            return new Scope() {
                public List<String> command(List<String> command) {
                    // The shell joins the cgroup, then becomes the JVM: it is inside before it allocates.
                    List<String> c = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                            cg.resolve("cgroup.procs").toString()));
                    c.addAll(command);
                    return c;
                }

                public void watch(Process p) {
                    resident.watch(p);
                }

                public Optional<String> breach() {
                    long kills = oomKills(cg) - before;
                    Optional<String> sampled = resident.breach();
                    return kills <= 0 ? sampled : Optional.of(String.format(Locale.ROOT,
                            "the kernel's OOM killer ended %d process(es) of the cell at the limit of %s", kills, how));
                }

                public void close() {
                    resident.close();
                    remove(cg);
                }
            };
        }

        /**
         * Removes a cell's cgroup, retrying for up to 5 s: the kernel refuses (EBUSY) until the last
         * process of the cell is reaped and its memory uncharged, which on a loaded machine can take
         * more than a second (docs/performance.md).
         */
        static void remove(Path cg) {
            for (int i = 0; i < 250; i++) {
                try {
                    Files.deleteIfExists(cg);
                    CGROUPS.remove(cg);
                    return;
                } catch (IOException e) {
                    try {
                        Thread.sleep(20); // the last process is still being reaped
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /** The {@code oom_kill} count of a cgroup: memory.events (v2) or memory.oom_control (v1, Linux 4.13+). */
        private long oomKills(Path cg) {
            try (Stream<String> lines = Files.lines(cg.resolve(v2 ? "memory.events" : "memory.oom_control"))) {
                return lines.filter(l -> l.startsWith("oom_kill "))
                        .mapToLong(l -> Long.parseLong(l.substring("oom_kill ".length()).trim())).findFirst().orElse(0);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    /** Removes the cells' cgroups once their processes are gone (the runner is being stopped). */
    static void removeCgroups() {
        new ArrayList<>(CGROUPS).forEach(CgroupParent::remove);
    }

    /** Sum of VmRSS over a process and its descendants, from /proc. */
    static long treeResidentBytes(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(h -> residentBytes(h.pid())).sum();
    }

    static long residentBytes(long pid) {
        return ProcStatus.residentBytes(Path.of("/proc"), pid); // the real tree: the ceiling watches real processes
    }

    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
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

    /** The smallest ceiling a cell can mean: below it, the JVM and TensorFlow alone do not fit. */
    static final long MIN_LIMIT = 64L << 20;

    /**
     * A {@code --memory-limit}: a size between 64 MiB and the machine's memory plus swap, the
     * range in which a ceiling can say something about the cell rather than about the JVM or
     * the machine.
     */
    public static long parseLimit(String s) {
        long bytes = parseSize(s);
        if (bytes < MIN_LIMIT) {
            throw new IllegalArgumentException("--memory-limit " + s + " is under 64 MiB, less than a JVM with "
                    + "TensorFlow needs before loading any model");
        }
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long machine = os.getTotalMemorySize() + Math.max(0, os.getTotalSwapSpaceSize());
        if (machine > 0 && bytes > machine) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--memory-limit %s is more than this "
                    + "machine's memory plus swap (%d MiB): it would limit nothing", s, machine >> 20));
        }
        return bytes;
    }
}
