package slimbench.suite;

import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/**
 * A cell as results record it, the key of its rows: a {@link CellSpec}'s labels, typed, with the
 * threads it ran on. A results file is read into cells once, where it is read ({@link ResultsCsv},
 * the 2019 reference's reader); the report and the diff work on these types, never on the text.
 *
 * @param model   the zoo's model, or null for a user's file
 * @param file    a user's model file name, or null for the zoo
 * @param threads the intra-op threads the cell ran on: what comparisons match
 * @param runtime the engine; older files, without the column, ran {@link Engine#DEFAULT}
 * @param budget  the threads the cell was allowed ({@code --threads}, resolved): what names the cell
 *                in its key, since a steady cell chooses its {@code threads} within it
 */
public record Cell(Model model, String file, Variant variant, Optimize optimize, int threads, Mode mode,
                   Engine runtime, int budget) {

    public Cell {
        if ((model == null) == (file == null)) {
            throw new IllegalArgumentException("a cell runs a model of the zoo or a file, exactly one");
        }
    }

    /** The cell a spec runs. */
    public static Cell of(CellSpec s) {
        return named(s.name(), s.variant(), s.optimize(), s.threads(), s.mode(), s.runtime(), s.threads());
    }

    /**
     * The cell whose model results spell {@code name}: a zoo label, or else a user's file name (a
     * file named as a zoo model reads as that model: the text, and so the key, is the same).
     */
    public static Cell named(String name, Variant variant, Optimize optimize, int threads, Mode mode, Engine runtime,
                             int budget) {
        Model zoo = java.util.Arrays.stream(Model.values()).filter(m -> m.label().equals(name)).findFirst().orElse(null);
        return new Cell(zoo, zoo == null ? name : null, variant, optimize, threads, mode, runtime, budget);
    }

    /** A zoo cell that ran on as many threads as its budget (every cell before the budget column). */
    public Cell(Model model, Variant variant, Optimize optimize, int threads, Mode mode, Engine runtime) {
        this(model, null, variant, optimize, threads, mode, runtime, threads);
    }

    /** A zoo cell of the default engine, as every file before the {@code runtime} column holds. */
    public Cell(Model model, Variant variant, Optimize optimize, int threads, Mode mode) {
        this(model, variant, optimize, threads, mode, Engine.DEFAULT);
    }

    /** The model as results name it: the zoo's label, or the user's file name. */
    public String name() {
        return model != null ? model.label() : file;
    }

    /** This cell as it ran on {@code used} threads within its budget. */
    public Cell ranOn(int used) {
        return new Cell(model, file, variant, optimize, used, mode, runtime, budget);
    }

    /**
     * The cell's stable key, built here only: in the journal of done cells, in log names, in the
     * report's grouping. The default engine adds nothing to it, so the keys (and the journals and
     * log names) of every run before the {@code runtime} axis stay what they were and still resume.
     */
    public String key() {
        String base = name() + "/" + variant + "/" + optimize + "/" + budget + "/" + mode;
        return runtime.equals(Engine.DEFAULT) ? base : base + "/" + runtime;
    }

    /** A file-name-safe label for logs. */
    public String slug() {
        return key().replace('/', '_');
    }

    @Override
    public String toString() {
        return name() + " " + variant + " " + optimize + " t" + (threads == budget ? threads : threads + "/" + budget)
                + " " + mode + (runtime.equals(Engine.DEFAULT) ? "" : " " + runtime);
    }
}
