package slimbench.report;

import java.util.Objects;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;

/**
 * Which rows are one cell's: the one matcher the report, the runtimes side by side and the diff
 * look figures up by. A row is the cell's when it has its model, variant, optimize and mode; its
 * threads, unless any will do ({@link #ANY}: a diff whose runs each measured one count), where a
 * row of 0 threads (unknown, as the 2019 reference records them; a file's row) is every count's;
 * and its runtime, unless any will do (null: a diff sets one run's runtime against another's). The
 * budget a cell ran within never takes part: figures are compared by the threads they ran on.
 */
record CellMatch(Model model, String file, Variant variant, Optimize optimize, Mode mode, int threads, Engine runtime) {
    /** Threads that match a row of any count. */
    static final int ANY = -1;

    /** The cell itself: on its threads and its runtime. */
    static CellMatch of(Cell c) {
        return new CellMatch(c.model(), c.file(), c.variant(), c.optimize(), c.mode(), c.threads(), c.runtime());
    }

    /** The like cell of another variant, optimize and mode: the same model, threads and runtime. */
    static CellMatch of(ResultRow like, Variant variant, Optimize optimize, Mode mode) {
        Cell c = like.cell();
        return new CellMatch(c.model(), c.file(), variant, optimize, mode, c.threads(), c.runtime());
    }

    /** This cell on any runtime, on {@code count} threads or {@link #ANY}. */
    CellMatch anyRuntime(int count) {
        return new CellMatch(model, file, variant, optimize, mode, count, null);
    }

    /** This cell on another runtime with another optimize. */
    CellMatch on(Engine other, Optimize otherOptimize) {
        return new CellMatch(model, file, variant, otherOptimize, mode, threads, other);
    }

    /** The model as results name it. */
    String name() {
        return model != null ? model.label() : file;
    }

    boolean matches(ResultRow r) {
        Cell c = r.cell();
        return c.mode() == mode && c.model() == model && Objects.equals(c.file(), file) && c.variant() == variant
                && c.optimize() == optimize && (threads == ANY || c.threads() == threads || c.threads() == 0)
                && (runtime == null || c.runtime().equals(runtime));
    }
}
