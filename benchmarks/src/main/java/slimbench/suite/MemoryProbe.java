package slimbench.suite;

import java.util.Map;
import org.openjdk.jmh.results.Result;
import slimbench.probe.Metric;
import slimbench.probe.Pressure;

/** The suite's view of the memory probe: the cell's pressure verdict as a word for the CSV. */
final class MemoryProbe {
    private MemoryProbe() {}

    /** The verdict word of a cell from its secondary results; empty when the probe did not run. */
    static String verdict(Map<String, ? extends Result<?>> metrics) {
        Result<?> r = metrics.get(Metric.PRESSURE.label());
        return r == null ? "" : Pressure.fromCode(r.getScore()).word();
    }
}
