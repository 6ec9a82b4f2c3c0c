package slimbench.model;


/**
 * When inference optimisations happen: {@code at-load} leaves them to TensorFlow's Grappler at the
 * first run (the 2019 experiment's {@code is_dynamic_op=True}); {@code ahead} does them once, when the
 * model file is made (batch norm folded, fused conv ops), and loads with Grappler off
 * ({@code is_dynamic_op=False}).
 */
public enum Optimize implements Labelled {
    AT_LOAD("at-load"),
    AHEAD("ahead");

    private final String label;

    Optimize(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static Optimize of(String label) {
        return Labelled.of(Optimize.class, "optimize mode", label);
    }

    @Override
    public String toString() {
        return label;
    }
}
