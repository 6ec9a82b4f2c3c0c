package slimbench.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import slimbench.engine.OneDnnIsa;
import slimbench.model.Precision;

/**
 * For tests whose subject depends on this machine's kernels: they carry "OnThisCpu" in their
 * names and skip, with the reason, a precision the process cannot run (under a
 * {@code ONEDNN_MAX_CPU_ISA} cap below its kernels), never passing silently.
 */
public final class ThisCpu {
    private ThisCpu() {}

    public static void assumeRuns(Precision p) {
        var reason = OneDnnIsa.unrunnable(p);
        assumeTrue(reason.isEmpty(), () -> "skipped on this CPU: " + reason.orElse(""));
    }
}
