package slimbench.suite;

import java.util.Map;
import org.openjdk.jmh.profile.Profiler;
import org.openjdk.jmh.results.Result;

/** The suite's view of the memory probe: which profiler to add, and the cell's pressure verdict. */
final class MemoryProbe {
    private MemoryProbe() {}

    @SuppressWarnings("unchecked")
    static Class<? extends Profiler> profilerClass() throws ClassNotFoundException {
        return (Class<? extends Profiler>) Class.forName("slimbench.probe.MemoryProfiler");
    }

    /** The verdict word of a cell from its secondary results; empty when the probe did not run. */
    static String verdict(Map<String, Result> metrics) {
        Result r = metrics.get("mem.pressure");
        return r == null ? "" : Double.toString(r.getScore());
    }
}
