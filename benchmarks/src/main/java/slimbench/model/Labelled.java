package slimbench.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A label of the registry (an enum's constant, or an engine's name) with one spelling, the one the
 * command line, benchmark parameters, result files and reports all use ({@code resnet_v1_50}, {@code tftrt-fp16}, {@code at-load}).
 */
public interface Labelled {
    String label();

    /** The constant spelled {@code label}, or an error naming what was asked and every valid spelling. */
    static <E extends Enum<E> & Labelled> E of(Class<E> type, String what, String label) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(label)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + label + "'; valid: " + labels(type));
    }

    /** Every spelling, in declaration order, comma separated. */
    static <E extends Enum<E> & Labelled> String labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Labelled::label).collect(Collectors.joining(", "));
    }
}
