package slimbench.report;

import java.util.Comparator;
import java.util.List;

/** The order rows and columns appear in: the fifteen models as the experiment lists them, then the variants. */
final class Order {
    static final List<String> MODELS = List.of(
            "mobilenet_v1", "mobilenet_v2", "vgg_16", "vgg_19",
            "inception_v1", "inception_v2", "inception_v3", "inception_v4",
            "resnet_v1_50", "resnet_v1_101", "resnet_v1_152",
            "resnet_v2_50", "resnet_v2_101", "resnet_v2_152", "inception_resnet_v2");
    static final List<String> VARIANTS = List.of("fp32", "fp16", "bf16", "tftrt-fp16");
    static final List<String> OPTIMIZE = List.of("at-load", "ahead");

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
