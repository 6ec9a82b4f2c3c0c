package slimbench.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import slimbench.model.Mode;
import slimbench.model.Model;

/**
 * The order rows and columns appear in: the registries' order (the experiment's), then a user's own
 * model files by name; modes in pipeline order.
 */
final class Order {
    static final List<String> MODELS = Arrays.stream(Model.values()).map(Model::label).toList();

    /** Known models first in the experiment's order, then a user's own models by name. */
    static final Comparator<String> MODEL = listed(MODELS);
    /** Modes in pipeline order: the file, then cold, then steady. */
    static final Comparator<Mode> MODE = Comparator.comparingInt(List.of(Mode.FILE, Mode.COLD, Mode.STEADY)::indexOf);

    private Order() {}

    /** Names in the given list first, in its order, then any others by name. */
    static Comparator<String> listed(List<String> known) {
        return Comparator.<String>comparingInt(s -> known.contains(s) ? known.indexOf(s) : known.size())
                .thenComparing(Comparator.naturalOrder());
    }
}
