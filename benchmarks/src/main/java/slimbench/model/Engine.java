package slimbench.model;

/**
 * The name of the inference engine a cell runs its model on: one axis of the matrix, spelled as
 * results.csv's {@code runtime} column spells it. A name only: what runs it, and which names are
 * known, is {@code engine.Engines}' business, so an engine is added without a constant here (a
 * results file names whatever ran). A results file from before the column ran on TensorFlow.
 */
public record Engine(String label) implements Labelled {
    public static final Engine TENSORFLOW = new Engine("tensorflow");
    public static final Engine ONNXRUNTIME = new Engine("onnxruntime");
    public static final Engine TENSORRT = new Engine("tensorrt");

    /** What a cell, a results row or a recorded run that names no engine ran on. */
    public static final Engine DEFAULT = TENSORFLOW;

    /** A name as the command line, a CSV column and a file name can carry it. */
    public Engine {
        if (!label.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("a runtime is named in lower-case letters, digits, '-' and '_', not '"
                    + label + "'");
        }
    }

    public static Engine of(String label) {
        return new Engine(label);
    }

    @Override
    public String toString() {
        return label;
    }
}
