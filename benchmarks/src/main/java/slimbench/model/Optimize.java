package slimbench.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * When inference optimisations happen: {@code at-load} leaves them to TensorFlow's Grappler at the
 * first run (the 2019 experiment's {@code is_dynamic_op=True}); {@code ahead} does them once, when the
 * model file is made (batch norm folded, fused conv ops), and loads with Grappler off
 * ({@code is_dynamic_op=False}).
 */
public enum Optimize {
    AT_LOAD("at-load"),
    AHEAD("ahead");

    private final String label;

    Optimize(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optimize of(String label) {
        for (Optimize o : values()) {
            if (o.label.equals(label)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimize mode '" + label + "'; valid: "
                + Arrays.stream(values()).map(Optimize::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
