package slimbench.model;

/**
 * How a cell measures its model: one cold shot per fresh JVM (load and first inference), or steady
 * inferences on a loaded model. {@link #FILE} is no measurement but the row that records the model
 * file a zoo cell loaded (its size and digest).
 */
public enum Mode implements Labelled {
    COLD("cold"),
    STEADY("steady"),
    FILE("file");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static Mode of(String label) {
        return Labelled.of(Mode.class, "mode", label);
    }

    @Override
    public String toString() {
        return label;
    }
}
