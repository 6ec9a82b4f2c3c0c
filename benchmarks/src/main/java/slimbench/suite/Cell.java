package slimbench.suite;

import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;

/**
 * A cell as results record it, the key of its rows: a {@link CellSpec} spelled out. Its parts stay
 * text because a results file outlives the build that wrote it: it may name a user's file, or a
 * label this build no longer knows, and must still be reported and diffed.
 *
 * @param model   a zoo label or a user's file name
 * @param threads the intra-op threads the cell ran on: what comparisons match
 * @param runtime the engine's label; older files, without the column, ran {@link Engine#DEFAULT}
 * @param budget  the threads the cell was allowed ({@code --threads}, resolved): what names the cell
 *                in its key, since a steady cell chooses its {@code threads} within it
 */
public record Cell(String model, String variant, String optimize, int threads, String mode, String runtime,
                   int budget) {
    public static final String COLD = Mode.COLD.label();
    public static final String STEADY = Mode.STEADY.label();
    public static final String FILE = Mode.FILE.label();

    /** The cell a spec runs. */
    public static Cell of(CellSpec s) {
        return new Cell(s.name(), s.variant().label(), s.optimize().label(), s.threads(), s.mode().label(),
                s.runtime().label(), s.threads());
    }

    /** A cell that ran on as many threads as its budget (every cell before the budget column). */
    public Cell(String model, String variant, String optimize, int threads, String mode, String runtime) {
        this(model, variant, optimize, threads, mode, runtime, threads);
    }

    /** A cell of the default engine, as every file before the {@code runtime} column holds. */
    public Cell(String model, String variant, String optimize, int threads, String mode) {
        this(model, variant, optimize, threads, mode, Engine.DEFAULT.label());
    }

    /** This cell as it ran on {@code used} threads within its budget. */
    public Cell ranOn(int used) {
        return new Cell(model, variant, optimize, used, mode, runtime, budget);
    }

    /**
     * The cell's stable key, built here only: in the journal of done cells, in log names, in the
     * report's grouping. The default engine adds nothing to it, so the keys (and the journals and
     * log names) of every run before the {@code runtime} axis stay what they were and still resume.
     */
    public String key() {
        String base = model + "/" + variant + "/" + optimize + "/" + budget + "/" + mode;
        return runtime.equals(Engine.DEFAULT.label()) ? base : base + "/" + runtime;
    }

    /** A file-name-safe label for logs. */
    public String slug() {
        return key().replace('/', '_');
    }

    @Override
    public String toString() {
        return model + " " + variant + " " + optimize + " t" + (threads == budget ? threads : threads + "/" + budget)
                + " " + mode
                + (runtime.equals(Engine.DEFAULT.label()) ? "" : " " + runtime);
    }
}
