package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Full-size variable and MAC counts against ../shared/specs/slim-models.md, counted without
 * materialising a weight. The numbers below are the spec's, copied by hand; nothing here is computed.
 */
class ModelCountsTest {
    /** "Frozen floats" column: every variable, batch-norm moving statistics included, no aux heads. */
    private static final Map<Model, Long> FROZEN_FLOATS = Map.ofEntries(
            Map.entry(Model.MOBILENET_V1, 4_254_889L),
            Map.entry(Model.MOBILENET_V2, 3_540_265L),
            Map.entry(Model.VGG_16, 138_357_544L),
            Map.entry(Model.VGG_19, 143_667_240L),
            Map.entry(Model.INCEPTION_V1, 6_633_209L),
            Map.entry(Model.INCEPTION_V2, 11_199_137L),
            Map.entry(Model.INCEPTION_V3, 23_853_833L),
            Map.entry(Model.INCEPTION_V4, 42_712_937L),
            Map.entry(Model.RESNET_V1_50, 25_610_152L),
            Map.entry(Model.RESNET_V1_101, 44_654_504L),
            Map.entry(Model.RESNET_V1_152, 60_344_232L),
            Map.entry(Model.RESNET_V2_50, 25_615_849L),
            Map.entry(Model.RESNET_V2_101, 44_677_609L),
            Map.entry(Model.RESNET_V2_152, 60_382_697L),
            Map.entry(Model.INCEPTION_RESNET_V2, 55_875_273L));

    /** "MACs counted" column, in millions as the spec rounds them (resnet_v2 at its 299 input). */
    private static final Map<Model, Double> MEGA_MACS = Map.ofEntries(
            Map.entry(Model.MOBILENET_V1, 568.7),
            Map.entry(Model.MOBILENET_V2, 300.8),
            Map.entry(Model.VGG_16, 15_470.0),
            Map.entry(Model.VGG_19, 19_630.0),
            Map.entry(Model.INCEPTION_V1, 1_500.0),
            Map.entry(Model.INCEPTION_V2, 1_930.0),
            Map.entry(Model.INCEPTION_V3, 5_710.0),
            Map.entry(Model.INCEPTION_V4, 12_250.0),
            Map.entry(Model.RESNET_V1_50, 3_480.0),
            Map.entry(Model.RESNET_V1_101, 7_190.0),
            Map.entry(Model.RESNET_V1_152, 10_910.0),
            Map.entry(Model.RESNET_V2_50, 6_540.0),
            Map.entry(Model.RESNET_V2_101, 13_370.0),
            Map.entry(Model.RESNET_V2_152, 20_210.0),
            Map.entry(Model.INCEPTION_RESNET_V2, 13_160.0));

    @ParameterizedTest
    @EnumSource(Model.class)
    void frozenFloatCountIsTheSpecs(Model model) {
        assertEquals(FROZEN_FLOATS.get(model), model.describe(Scale.FULL).parameters(), model.label());
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void macsMatchTheSpecToItsRounding(Model model) {
        double mega = model.describe(Scale.FULL).macs() / 1e6;
        double expected = MEGA_MACS.get(model);
        // The spec gives 4 significant figures (568.7 M, 15.47 G): half a unit of the last one.
        double tolerance = expected >= 10_000 ? 5.0 : expected >= 1_000 ? 5.0 : 0.05;
        assertTrue(Math.abs(mega - expected) <= tolerance,
                model.label() + ": " + mega + " M MACs, spec " + expected + " M");
    }

    @org.junit.jupiter.api.Test
    void mobilenetV1BaseMacsAreTheDocstringsExactly() {
        // mobilenet_v1.py's docstring: 567,716,352 MACs without the logits layer (1024 x 1001).
        assertEquals(567_716_352L + 1024L * 1001, Model.MOBILENET_V1.describe(Scale.FULL).macs());
    }
}
