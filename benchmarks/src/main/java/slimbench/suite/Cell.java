package slimbench.suite;

/**
 * One benchmark cell of the matrix: a model (a zoo name, or a user's file name) in a variant and
 * optimisation mode, at a thread count, measured cold or steady.
 */
public record Cell(String model, String variant, String optimize, int threads, String mode) {
    public static final String COLD = "cold";
    public static final String STEADY = "steady";
    public static final String FILE = "file";

    /** The same key {@link ResultRow#cell()} gives, to match rows already written. */
    public String key() {
        return model + "/" + variant + "/" + optimize + "/" + threads + "/" + mode;
    }

    /** A file-name-safe label for logs. */
    public String slug() {
        return key().replace('/', '_');
    }

    @Override
    public String toString() {
        return model + " " + variant + " " + optimize + " t" + threads + " " + mode;
    }
}
