package slimbench.probe;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Min, max and mean of the samples of one quantity; absent samples leave no trace. */
final class Track {

    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private long count;

    void add(double value) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
        count++;
    }

    void add(OptionalDouble value) {
        value.ifPresent(this::add);
    }

    /** Adds a value after scaling it, e.g. bytes to MiB. */
    void add(OptionalLong value, double scale) {
        if (value.isPresent()) {
            add(value.getAsLong() * scale);
        }
    }

    OptionalDouble min() {
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(min);
    }

    OptionalDouble max() {
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(max);
    }

    OptionalDouble mean() {
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
    }
}
