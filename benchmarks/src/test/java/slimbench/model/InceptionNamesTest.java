package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The five inception nets' variable names and shapes as slim spells them, slim's scope quirks
 * included (../shared/specs/slim-models.md), and that a scaled-down build goes through.
 */
class InceptionNamesTest {
    private static Map<String, int[]> variables(Model model) {
        Map<String, int[]> byName = new HashMap<>();
        for (Variable v : model.describe(Scale.FULL).variables()) {
            assertTrue(byName.put(v.name(), v.shape()) == null, "duplicate variable " + v.name());
        }
        return byName;
    }

    private static void assertVariable(Map<String, int[]> vars, String name, int... shape) {
        int[] actual = vars.get(name);
        assertNotNull(actual, "missing " + name);
        assertEquals(Arrays.toString(shape), Arrays.toString(actual), name);
    }

    @Test
    void inceptionV1() {
        Map<String, int[]> v = variables(Model.INCEPTION_V1);
        assertVariable(v, "InceptionV1/Conv2d_1a_7x7/weights", 7, 7, 3, 64);
        assertVariable(v, "InceptionV1/Conv2d_1a_7x7/BatchNorm/beta", 64);
        assertVariable(v, "InceptionV1/Mixed_4f/Branch_3/Conv2d_0b_1x1/BatchNorm/moving_mean", 128);
        // inception_v1.py:240: Mixed_5b's second branch-2 conv is scoped "0a", not "0b".
        assertVariable(v, "InceptionV1/Mixed_5b/Branch_2/Conv2d_0a_3x3/weights", 3, 3, 32, 128);
        assertFalse(v.containsKey("InceptionV1/Mixed_5b/Branch_2/Conv2d_0b_3x3/weights"));
        assertVariable(v, "InceptionV1/Mixed_5c/Branch_2/Conv2d_0b_3x3/weights", 3, 3, 48, 128);
        assertVariable(v, "InceptionV1/Logits/Conv2d_0c_1x1/weights", 1, 1, 1024, 1001);
        assertVariable(v, "InceptionV1/Logits/Conv2d_0c_1x1/biases", 1001);
    }

    @Test
    void inceptionV2() {
        Map<String, int[]> v = variables(Model.INCEPTION_V2);
        assertVariable(v, "InceptionV2/Conv2d_1a_7x7/depthwise_weights", 7, 7, 3, 8);
        assertVariable(v, "InceptionV2/Conv2d_1a_7x7/pointwise_weights", 1, 1, 24, 64);
        assertVariable(v, "InceptionV2/Conv2d_1a_7x7/biases", 64);
        assertFalse(v.containsKey("InceptionV2/Conv2d_1a_7x7/BatchNorm/beta"), "the separable stem has no batch norm");
        assertVariable(v, "InceptionV2/Mixed_4a/Branch_1/Conv2d_1a_3x3/weights", 3, 3, 96, 96);
        assertVariable(v, "InceptionV2/Mixed_5c/Branch_0/Conv2d_0a_1x1/weights", 1, 1, 1024, 352);
        assertVariable(v, "InceptionV2/Mixed_5c/Branch_2/Conv2d_0c_3x3/BatchNorm/moving_variance", 224);
        assertVariable(v, "InceptionV2/Logits/Conv2d_1c_1x1/weights", 1, 1, 1024, 1001);
    }

    @Test
    void inceptionV3() {
        Map<String, int[]> v = variables(Model.INCEPTION_V3);
        assertVariable(v, "InceptionV3/Conv2d_1a_3x3/weights", 3, 3, 3, 32);
        assertVariable(v, "InceptionV3/Mixed_6b/Branch_1/Conv2d_0b_1x7/weights", 1, 7, 128, 128);
        assertVariable(v, "InceptionV3/Mixed_6e/Branch_2/Conv2d_0e_1x7/weights", 1, 7, 192, 192);
        // Quirks: Mixed_5c's 5x5 tower, Mixed_6a's stride-2 3x3s, Mixed_7b vs 7c's 3x1.
        assertVariable(v, "InceptionV3/Mixed_5c/Branch_1/Conv2d_0b_1x1/weights", 1, 1, 256, 48);
        assertVariable(v, "InceptionV3/Mixed_5c/Branch_1/Conv_1_0c_5x5/weights", 5, 5, 48, 64);
        assertVariable(v, "InceptionV3/Mixed_5d/Branch_1/Conv2d_0b_5x5/weights", 5, 5, 48, 64);
        assertFalse(v.containsKey("InceptionV3/Mixed_5c/Branch_1/Conv2d_0b_5x5/weights"));
        assertVariable(v, "InceptionV3/Mixed_6a/Branch_0/Conv2d_1a_1x1/weights", 3, 3, 288, 384);
        assertVariable(v, "InceptionV3/Mixed_6a/Branch_1/Conv2d_1a_1x1/weights", 3, 3, 96, 96);
        assertVariable(v, "InceptionV3/Mixed_7b/Branch_1/Conv2d_0b_3x1/weights", 3, 1, 384, 384);
        assertVariable(v, "InceptionV3/Mixed_7c/Branch_1/Conv2d_0c_3x1/weights", 3, 1, 384, 384);
        assertFalse(v.containsKey("InceptionV3/Mixed_7b/Branch_1/Conv2d_0c_3x1/weights"));
        assertFalse(v.containsKey("InceptionV3/Mixed_7c/Branch_1/Conv2d_0b_3x1/weights"));
        assertVariable(v, "InceptionV3/Mixed_7c/Branch_0/Conv2d_0a_1x1/weights", 1, 1, 2048, 320);
        assertVariable(v, "InceptionV3/Logits/Conv2d_1c_1x1/weights", 1, 1, 2048, 1001);
    }

    @Test
    void inceptionV4() {
        Map<String, int[]> v = variables(Model.INCEPTION_V4);
        assertVariable(v, "InceptionV4/Mixed_3a/Branch_1/Conv2d_0a_3x3/weights", 3, 3, 64, 96);
        assertVariable(v, "InceptionV4/Mixed_5e/Branch_0/Conv2d_0a_1x1/weights", 1, 1, 384, 96);
        assertVariable(v, "InceptionV4/Mixed_6h/Branch_2/Conv2d_0e_1x7/weights", 1, 7, 224, 256);
        assertVariable(v, "InceptionV4/Mixed_7d/Branch_2/Conv2d_0e_3x1/weights", 3, 1, 512, 256);
        assertVariable(v, "InceptionV4/Logits/Logits/weights", 1536, 1001);
        assertVariable(v, "InceptionV4/Logits/Logits/biases", 1001);
    }

    @Test
    void inceptionResNetV2() {
        Map<String, int[]> v = variables(Model.INCEPTION_RESNET_V2);
        assertVariable(v, "InceptionResnetV2/Mixed_5b/Branch_0/Conv2d_1x1/weights", 1, 1, 192, 96);
        assertVariable(v, "InceptionResnetV2/Repeat/block35_10/Conv2d_1x1/weights", 1, 1, 128, 320);
        assertVariable(v, "InceptionResnetV2/Repeat_1/block17_20/Branch_1/Conv2d_0b_1x7/weights", 1, 7, 128, 160);
        assertVariable(v, "InceptionResnetV2/Repeat_1/block17_1/Conv2d_1x1/biases", 1088);
        assertVariable(v, "InceptionResnetV2/Repeat_2/block8_1/Branch_0/Conv2d_1x1/weights", 1, 1, 2080, 192);
        assertVariable(v, "InceptionResnetV2/Block8/Conv2d_1x1/weights", 1, 1, 448, 2080);
        assertVariable(v, "InceptionResnetV2/Block8/Conv2d_1x1/biases", 2080);
        assertFalse(v.containsKey("InceptionResnetV2/Block8/Conv2d_1x1/BatchNorm/beta"), "up-projections have no batch norm");
        assertFalse(v.containsKey("InceptionResnetV2/Repeat_2/block8_10/Conv2d_1x1/biases"), "nine repeats, then Block8");
        assertVariable(v, "InceptionResnetV2/Conv2d_7b_1x1/weights", 1, 1, 2080, 1536);
        assertVariable(v, "InceptionResnetV2/Logits/Logits/weights", 1536, 1001);
    }

    /** inception_arg_scope: no gamma; biases only where slim turns the normalizer off; no aux heads. */
    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"INCEPTION_V1", "INCEPTION_V2", "INCEPTION_V3", "INCEPTION_V4",
        "INCEPTION_RESNET_V2"})
    void batchNormHasNoGammaAndBiasesAreWhereSlimPutsThem(Model model) {
        Map<String, int[]> v = variables(model);
        assertTrue(v.keySet().stream().noneMatch(n -> n.endsWith("/gamma")), "gamma");
        assertTrue(v.keySet().stream().noneMatch(n -> n.contains("AuxLogits")), "aux head");
        var biased = v.keySet().stream().filter(n -> n.endsWith("/biases"))
                .map(n -> n.substring(n.indexOf('/') + 1))
                .filter(n -> !n.startsWith("Logits/") && !n.startsWith("Conv2d_1a_7x7/") && !n.endsWith("/Conv2d_1x1/biases"))
                .collect(Collectors.toList());
        assertEquals(java.util.List.of(), biased);
        long ups = v.keySet().stream().filter(n -> n.endsWith("/Conv2d_1x1/biases")).count();
        assertEquals(model == Model.INCEPTION_RESNET_V2 ? 10 + 20 + 9 + 1 : 0, ups);
    }

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"INCEPTION_V1", "INCEPTION_V2", "INCEPTION_V3", "INCEPTION_V4",
        "INCEPTION_RESNET_V2"})
    void scaledDownBuildGoesThrough(Model model) {
        Model.Built built = model.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1));
        assertTrue(built.graph().getNodeList().stream().anyMatch(n -> n.getName().equals(Model.OUTPUT)));
        assertEquals(model.describe(Scale.FULL).variables().size(), built.variables().size(),
                "the scaled build keeps every variable");
    }
}
