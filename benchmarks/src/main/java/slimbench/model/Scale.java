package slimbench.model;

/**
 * The size a model is built at. {@link #FULL} is slim's; smaller scales keep every layer and every
 * variable name (the same code path) with narrower layers, a smaller input and fewer classes, so
 * tests cover all fifteen architectures in seconds.
 *
 * @param inputSize 0 for the model's own input size
 * @param width     channel multiplier, 1 for full width
 * @param classes   0 for the model's own class count
 */
public record Scale(int inputSize, double width, int classes) {
    public static final Scale FULL = new Scale(0, 1.0, 0);
    /** What tests use: the smallest input every stem accepts (inception's VALID stems need 75). */
    public static final Scale TINY = new Scale(75, 0.125, 10);

    public Scale {
        if (inputSize != 0 && inputSize < 32) {
            throw new IllegalArgumentException("input size " + inputSize + " is too small (at least 32)");
        }
        if (!(width > 0 && width <= 1)) {
            throw new IllegalArgumentException("width " + width + " must be in (0, 1]");
        }
        if (classes < 0) {
            throw new IllegalArgumentException("classes must be positive");
        }
    }

    public boolean isFull() {
        return inputSize == 0 && width == 1.0 && classes == 0;
    }

    int channels(int full) {
        return width == 1.0 ? full : Math.max(2, (int) Math.round(full * width));
    }

    int classes(int full) {
        return classes == 0 ? full : classes;
    }

    int inputSize(int full) {
        return inputSize == 0 ? full : inputSize;
    }

    /** A short tag for file names, empty at full scale. */
    public String tag() {
        return isFull() ? "" : "s" + inputSize + "-w" + width + "-c" + classes;
    }
}
