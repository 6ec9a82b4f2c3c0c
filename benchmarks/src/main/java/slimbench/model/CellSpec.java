package slimbench.model;

import java.nio.file.Path;

/**
 * One cell of the matrix, typed: what the command line asked for, what the runner walks, what
 * crosses into the cell's process and its JMH forks ({@link RecordCodec}), and what its results
 * rows are keyed by. Parsed once at the edge; nobody downstream parses a label again.
 *
 * @param model     a model of the zoo, or null when {@code modelFile} is given
 * @param modelFile a user's frozen graph (.pb) or SavedModel directory, or null for the zoo
 * @param scale     the size the zoo model is built at ({@link Scale#FULL} for a user's file)
 * @param threads   intra-op threads, 0 for the engine's choice
 * @param runtime   the engine that runs the model
 */
public record CellSpec(Model model, Path modelFile, Variant variant, Optimize optimize, Scale scale, int threads,
                       Mode mode, Engine runtime) {

    public CellSpec {
        if ((model == null) == (modelFile == null)) {
            throw new IllegalArgumentException("a cell runs a model of the zoo or a file, exactly one");
        }
    }

    /** The model as results name it: the zoo's label, or the user's file name. */
    public String name() {
        return model != null ? model.label() : modelFile.getFileName().toString();
    }

    /** This cell in another mode (the runner records a zoo cell's model file under {@link Mode#FILE}). */
    public CellSpec withMode(Mode other, int otherThreads) {
        return new CellSpec(model, modelFile, variant, optimize, scale, otherThreads, other, runtime);
    }

    @Override
    public String toString() {
        return name() + " " + variant + " " + optimize + " t" + threads + " " + mode
                + (runtime.equals(Engine.DEFAULT) ? "" : " " + runtime);
    }
}
