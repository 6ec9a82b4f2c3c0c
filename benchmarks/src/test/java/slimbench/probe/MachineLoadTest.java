package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Other processes' CPU time is seen, and a machine they keep busy marks the interval disturbed. */
class MachineLoadTest {
    @Test
    void busyChildrenMakeAnIntervalDisturbed() throws Exception {
        Path proc = Path.of("/proc");
        int cpus = MachineLoad.now(proc).orElseThrow().cpus();
        List<Process> busy = new ArrayList<>();
        try {
            for (int i = 0; i < cpus; i++) { // bounded by timeout, and killed below
                busy.add(new ProcessBuilder("timeout", "10", "sh", "-c", "while :; do :; done").start());
            }
            Thread.sleep(300);
            MachineLoad start = MachineLoad.now(proc).orElseThrow();
            Thread.sleep(1500); // this process sleeps: all the busy time is others'
            MachineLoad.Share s = MachineLoad.now(proc).orElseThrow().since(start, MachineLoad.loadAverage(proc));
            assertTrue(s.disturbed(), s.toString());
            assertTrue(s.othersCores() > 0.5 && s.othersCores() <= cpus + 0.01, s.toString());
        } finally {
            // The spinning sh first: killing only timeout (SIGKILL, which it cannot pass on) left the sh
            // spinning after the test, on the cores every later test measured.
            for (Process p : busy) {
                List<ProcessHandle> spinners = p.descendants().toList();
                spinners.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                for (ProcessHandle h : spinners) {
                    h.onExit().get(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void ownTimeIsNotOthers() {
        MachineLoad a = new MachineLoad(1000, 4000, 500, 2);
        MachineLoad b = new MachineLoad(1400, 5000, 900, 2); // all 400 busy jiffies were this process's
        assertFalse(b.since(a, 0.1).disturbed());
        MachineLoad c = new MachineLoad(1400, 5000, 600, 2); // 300 of them others': 0.6 of a core
        assertTrue(c.since(a, 0.1).disturbed());
    }
}
