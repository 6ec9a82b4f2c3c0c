package slimbench.tensorrt;

import java.util.Collection;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Figures measured by trtexec (one per fork, or one per iteration) as one JMH result, as JMH's own
 * results reach the cell after it has aggregated iterations and forks: their mean as the score, and
 * their spread as statistics; the cell's interval is over its forks ({@code suite.Rows}), as any other's.
 */
final class Samples extends Result<Samples> {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    Samples(ResultRole role, String label, double[] values, String unit) {
        super(role, label, new ListStatistics(values), unit, AggregationPolicy.AVG);
        this.values = values.clone();
    }

    @Override
    protected Aggregator<Samples> getThreadAggregator() {
        return Samples::concat;
    }

    @Override
    protected Aggregator<Samples> getIterationAggregator() {
        return Samples::concat;
    }

    private static Samples concat(Collection<Samples> all) {
        Samples first = all.iterator().next();
        return new Samples(first.getRole(), first.getLabel(),
                all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values)).toArray(), first.getScoreUnit());
    }
}
