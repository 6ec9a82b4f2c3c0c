package slimbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.natives.NativeLoad;
import slimbench.probe.CoreSpeed;
import slimbench.probe.MachineLoad;
import slimbench.probe.Roots;
import slimbench.suite.Conditions;

/**
 * {@code doctor}: the run conditions, and what will and will not work here, before a long run; and
 * whether other programs are using the machine, which a run's figures would then describe.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Prints the device and runtime conditions a run records, and what works here: "
                + "GPU, TensorRT, bf16/fp16 hardware support, memory.",
                "Then times one computation on one core for 1 s and, over the same second, samples the machine's load "
                        + "(/proc/stat, less doctor's own CPU time). It warns when other processes use more than 10%% "
                        + "of the cores: a run now would share the machine, its cells would be marked disturbed and its "
                        + "times describe the sharing; and when the computation's speed moves by more than 10%%, "
                        + "saying whether those processes were there to cause it (if not, as on a virtual machine "
                        + "whose host's other tenants take the cores)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:conditions printed (a busy machine is a warning, not a failure)",
                "2:TensorFlow's natives cannot load here (the line says why)"},
        footerHeading = "%nExample:%n",
        footer = "  java -jar benchmarks.jar doctor")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        // The load over the same second as the speed: both verdicts then speak of one moment.
        Path proc = Roots.system().proc();
        long started = System.nanoTime();
        Optional<MachineLoad> before = MachineLoad.now(proc);
        CoreSpeed speed = CoreSpeed.measure();
        Duration window = Duration.ofNanos(System.nanoTime() - started);
        Optional<MachineLoad.Share> load = before.flatMap(b -> MachineLoad.now(proc)
                .map(end -> end.since(b, MachineLoad.loadAverage(proc))));
        Map<String, String> c = Conditions.device(speed);
        c.forEach((k, v) -> out.printf("%-24s %s%n", k, v));
        out.println();
        Conditions.verdicts(c).forEach(out::println);
        out.println("trtexec:   " + slimbench.tensorrt.Trtexec.lookup().describe());
        loadVerdict(load, window).forEach(out::println);
        speedVerdict(speed, load).forEach(out::println);
        out.flush();
        NativeLoad.require(); // after every condition readable without TensorFlow: one line, exit 2
        return 0;
    }

    /**
     * What one core's speed says: a line of figures, and a warning when it moves as much as a
     * disturbance would, whose cause is read from the load sampled over the same window: other
     * processes when they were busy, the machine itself when they were not.
     */
    static List<String> speedVerdict(CoreSpeed c, Optional<MachineLoad.Share> load) {
        String figures = "one core's speed (a 128x128 float matmul, again and again): "
                + c.describe();
        if (!c.unsteady()) {
            return List.of("Speed:     " + figures + ": steady");
        }
        boolean others = load.map(MachineLoad.Share::disturbed).orElse(false);
        String cause = load.map(s -> s.disturbed()
                ? String.format(Locale.ROOT, "while other processes used %.2f of %d cores (Load, above): they took the "
                        + "cores from it. Stop them or wait, then run doctor again", s.othersCores(), s.cores())
                : "with no other process to show for it (as on a virtual machine whose host's other tenants take its "
                        + "cores). A run's figures carry that noise: compare cells of one run, repeat runs, or use a "
                        + "machine of its own")
                .orElse("and without /proc/stat no process can be named for it. A run's figures carry that noise: "
                        + "compare cells of one run, or repeat runs");
        return List.of("Speed:     " + figures,
                String.format(Locale.ROOT, "WARNING: this machine's speed moves%s: the slowest tenth of the same "
                        + "computation took %.0f%% longer than the fastest, more than the %.0f%% a disturbed cell is marked at, "
                        + "%s.", others ? "" : " by itself", 100 * c.spread(), 100 * CoreSpeed.UNSTEADY, cause));
    }

    /** What the load sample says: a line of figures, and a warning when others would disturb a run. */
    static List<String> loadVerdict(Optional<MachineLoad.Share> sample, Duration window) {
        if (sample.isEmpty()) {
            return List.of("Load:      unknown (no /proc/stat here): a run cannot mark disturbed cells either");
        }
        MachineLoad.Share s = sample.get();
        String figures = String.format(Locale.ROOT, "other processes used %.2f of %d cores over the last %.1f s; "
                + "load average %.2f", s.othersCores(), s.cores(), window.toMillis() / 1000.0, s.loadAverage());
        if (!s.disturbed()) {
            return List.of("Load:      " + figures + ": quiet enough for a run");
        }
        return List.of("Load:      " + figures,
                String.format(Locale.ROOT, "WARNING: the machine is busy: other processes use %.2f cores, more than "
                        + "the %.2f (%.0f%% of %d) that mark a cell disturbed. A run now shares the cores with them: its "
                        + "times come out slower and its intervals wider than this device's own, and its cells are "
                        + "marked *disturbed*. Stop them or wait, then run doctor again.", s.othersCores(),
                        MachineLoad.DISTURBED_SHARE * s.cores(), 100 * MachineLoad.DISTURBED_SHARE, s.cores()));
    }
}
