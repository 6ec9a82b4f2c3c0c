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

    /** {@code full}, {@code tiny} or {@code SIZE:WIDTH:CLASSES} (as {@code 107:0.25:10}), as the command line spells it. */
    public static Scale parse(String s) {
        if (s.equals("full")) {
            return FULL;
        }
        if (s.equals("tiny")) {
            return TINY;
        }
        String[] f = s.split(":");
        if (f.length != 3) {
            throw new IllegalArgumentException("scale '" + s + "' is not full, tiny or SIZE:WIDTH:CLASSES");
        }
        try {
            return new Scale(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Integer.parseInt(f[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale '" + s + "': SIZE, WIDTH and CLASSES must be numbers");
        }
    }

    /** The spelling {@link #parse} reads back: {@code full}, {@code tiny} or {@code SIZE:WIDTH:CLASSES}. */
    public String label() {
        if (equals(FULL)) {
            return "full";
        }
        return equals(TINY) ? "tiny" : inputSize + ":" + width + ":" + classes;
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
