package slimbench.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How much of the machine other processes took while a cell ran: the CPU time the whole machine
 * was busy ({@code /proc/stat}) minus this process's own and its waited-for children's (JMH's
 * forks: {@code utime+stime+cutime+cstime} of {@code /proc/self/stat}), as a mean number of cores,
 * of the CPUs {@code /proc/stat} counts, with the load average. Read at the cell's start and end, outside every timed region.
 */
public record MachineLoad(long busyJiffies, long totalJiffies, long ownJiffies, int cpus) {
    /**
     * A cell is disturbed when others took more than this fraction of the machine (cores x wall
     * time). A cell with threads 0 uses every core, so whatever others run is taken from it; at 10%
     * of the machine the slowdown is of the order of a quiet machine's run-to-run spread, beyond
     * it a figure describes the sharing rather than the model. On 2 cores: 0.2 of a core.
     */
    public static final double DISTURBED_SHARE = 0.10;

    /** Now, from {@code proc} ({@code /proc}); absent where it cannot be read (not Linux). */
    public static Optional<MachineLoad> now(Path proc) {
        try {
            java.util.List<String> stat = Files.readAllLines(proc.resolve("stat"));
            String[] cpu = stat.get(0).trim().split("\\s+");
            int cpus = (int) stat.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            long busy = 0;
            long total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
            String self = Files.readString(proc.resolve("self").resolve("stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            // after the comm: state is field 3, utime..cstime are fields 14..17
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return Optional.of(new MachineLoad(busy, total, own, Math.max(1, cpus)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What others use now: two readings {@code window} apart (this thread sleeps between them), with
     * the load average at the end; absent where {@code /proc} cannot be read. For {@code doctor},
     * before a run, so the window is short and nothing is timed.
     */
    public static Optional<Share> sample(Path proc, java.time.Duration window) throws InterruptedException {
        Optional<MachineLoad> start = now(proc);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        Thread.sleep(window.toMillis());
        return now(proc).map(end -> end.since(start.get(), loadAverage(proc)));
    }

    /** What others used between {@code start} and this reading. */
    public Share since(MachineLoad start, double loadAverage) {
        int cores = cpus;
        long total = totalJiffies - start.totalJiffies;
        long others = Math.max(0, (busyJiffies - start.busyJiffies) - (ownJiffies - start.ownJiffies));
        double othersCores = total <= 0 ? 0 : others * (double) cores / total;
        return new Share(othersCores, cores, loadAverage);
    }

    /** The 1-minute load average, or NaN. */
    public static double loadAverage(Path proc) {
        try {
            return Double.parseDouble(Files.readString(proc.resolve("loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Others' mean use of the machine over an interval, in cores, of {@code cores}. */
    public record Share(double othersCores, int cores, double loadAverage) {
        public boolean disturbed() {
            return othersCores > DISTURBED_SHARE * cores;
        }
    }
}
