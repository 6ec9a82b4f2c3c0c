package slimbench.tensorrt;

import java.util.Arrays;
import java.util.Collection;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.util.ListStatistics;
import slimbench.bench.Concatenating;

/**
 * Figures measured by trtexec (one per fork, or one per iteration) as one JMH result, as JMH's own
 * results reach the cell after it has aggregated iterations and forks ({@link Concatenating}):
 * their mean as the score, and their spread as statistics; the cell's interval is over its forks
 * ({@code suite.Rows}), as any other's.
 */
final class Samples extends Concatenating<Samples> {
    private static final long serialVersionUID = 1L;
    private final double[] values;

    Samples(ResultRole role, String label, double[] values, String unit) {
        super(role, label, new ListStatistics(values), unit);
        this.values = values.clone();
    }

    @Override
    protected Samples concat(Collection<Samples> all) {
        Samples first = all.iterator().next();
        return new Samples(first.getRole(), first.getLabel(),
                all.stream().flatMapToDouble(s -> Arrays.stream(s.values)).toArray(), first.getScoreUnit());
    }
}
