package slimbench.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/** The order rows and columns appear in: the registries' order (the experiment's), then a user's own names. */
final class Order {
    static final List<String> MODELS = Arrays.stream(Model.values()).map(Model::label).toList();
    static final List<String> VARIANTS = Arrays.stream(Variant.values()).map(Variant::label).toList();
    static final List<String> OPTIMIZE = Arrays.stream(Optimize.values()).map(Optimize::label).toList();

    /** Known models first in the experiment's order, then a user's own models by name. */
    static final Comparator<String> MODEL = listed(MODELS);
    static final Comparator<String> VARIANT = listed(VARIANTS);
    static final Comparator<String> OPTIMIZATION = listed(OPTIMIZE);

    private Order() {}

    /** Names in the given list first, in its order, then any others by name. */
    static Comparator<String> listed(List<String> known) {
        return Comparator.<String>comparingInt(s -> known.contains(s) ? known.indexOf(s) : known.size())
                .thenComparing(Comparator.naturalOrder());
    }
}
