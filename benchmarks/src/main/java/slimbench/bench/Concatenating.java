package slimbench.bench;

import java.util.Collection;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.util.Statistics;

/**
 * A JMH result whose values are concatenated, never averaged, across threads and iterations, and
 * so across forks (JMH merges forks with the iteration aggregator): the result that reaches the
 * runner holds every value measured, and its mean is the score. The one home of that policy, for
 * the latencies JMH's forks measure ({@link LatencyResult}) and the figures trtexec measures.
 */
public abstract class Concatenating<R extends Concatenating<R>> extends Result<R> {
    private static final long serialVersionUID = 1L;

    protected Concatenating(ResultRole role, String label, Statistics values, String unit) {
        super(role, label, values, unit, AggregationPolicy.AVG);
    }

    /** One result of this kind holding the values of {@code all}, in order. */
    protected abstract R concat(Collection<R> all);

    @Override
    protected final Aggregator<R> getThreadAggregator() {
        return this::concat;
    }

    @Override
    protected final Aggregator<R> getIterationAggregator() {
        return this::concat;
    }
}
