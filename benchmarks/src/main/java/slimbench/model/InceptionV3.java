package slimbench.model;

import static slimbench.model.InceptionBlock.avgPool;
import static slimbench.model.InceptionBlock.branch;
import static slimbench.model.InceptionBlock.c;
import static slimbench.model.InceptionBlock.mixed17;
import static slimbench.model.InceptionBlock.mixed35;
import static slimbench.model.InceptionBlock.reduction17;
import static slimbench.model.InceptionBlock.reduction35;
import static slimbench.model.InceptionBlock.split;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * Inception v3 ({@code nets/inception_v3.py}): a VALID stem to 35x35, three 35x35 blocks, a
 * reduction, four 17x17 blocks with factored 7x7s, a reduction and two 8x8 blocks with split 3x3s.
 * Scope names keep slim's quirks ({@code Conv_1_0c_5x5}, {@code Conv2d_1a_1x1} on 3x3 kernels).
 */
final class InceptionV3 {
    /** Branch 3's 1x1 width in Mixed_5b, 5c, 5d. */
    private static final int[] POOL_35 = {32, 64, 64};
    /** The 7x7 towers' inner width in Mixed_6b .. 6e. */
    private static final int[] INNER_17 = {128, 160, 160, 192};
    /** Mixed_7b/7c: 1x1 ‖ 1x1 -> (1x3 ‖ 3x1) ‖ 1x1 -> 3x3 -> (1x3 ‖ 3x1) ‖ avg pool -> 1x1. */
    private static final InceptionBlock MIXED_8 = InceptionBlock.of(branch(c(1, 1, 320)), branch(c(1, 1, 384), split(3, 384)),
            branch(c(1, 1, 448), c(3, 3, 384), split(3, 384)), branch(avgPool(), c(1, 1, 192)));

    private InceptionV3() {}

    /** The stem up to MaxPool_5a_3x3 (35x35x192), which inception_resnet_v2 shares. */
    static T stem(Net net, String s, T x) {
        x = conv(net, s + "Conv2d_1a_3x3", x, 3, 3, 32, 2, VALID);
        x = conv(net, s + "Conv2d_2a_3x3", x, 3, 3, 32, 1, VALID);
        x = conv(net, s + "Conv2d_2b_3x3", x, 3, 3, 64, 1, SAME);
        x = net.maxPool(s + "MaxPool_3a_3x3", x, 3, 2, VALID);
        x = conv(net, s + "Conv2d_3b_1x1", x, 1, 1, 80, 1, VALID);
        x = conv(net, s + "Conv2d_4a_3x3", x, 3, 3, 192, 1, VALID);
        x = net.maxPool(s + "MaxPool_5a_3x3", x, 3, 2, VALID);
        return x;
    }

    static T build(Net net, T x, int classes) {
        String s = "InceptionV3/";
        x = stem(net, s, x);
        for (int i = 0; i < POOL_35.length; i++) {
            InceptionBlock block = mixed35(5, avgPool(), 64, 48, 64, 64, 96, 96, POOL_35[i]);
            if (i == 1) { // slim names Mixed_5c's 5x5 branch differently from 5b's and 5d's
                block = block.named(1, 0, "Conv2d_0b_1x1").named(1, 1, "Conv_1_0c_5x5");
            }
            x = block.apply(net, s + "Mixed_5" + (char) ('b' + i), x);
        }
        // Both stride-2 convs are 3x3 but scoped Conv2d_1a_1x1, as slim names them.
        x = reduction35(384, 64, 96, 96).named(0, 0, "Conv2d_1a_1x1").named(1, 2, "Conv2d_1a_1x1")
                .apply(net, s + "Mixed_6a", x);
        for (int i = 0; i < INNER_17.length; i++) {
            int c = INNER_17[i];
            x = mixed17(192, c, c, 192, c, c, c, c, 192, 192).apply(net, s + "Mixed_6" + (char) ('b' + i), x);
        }
        x = reduction17(192, 320, 192, 192, 192, 192).apply(net, s + "Mixed_7a", x);
        // Mixed_7b's 3x1 in branch 1 is scoped 0b like the 1x3 beside it; 7c's is 0c.
        x = MIXED_8.named(1, 2, "Conv2d_0b_3x1").apply(net, s + "Mixed_7b", x);
        x = MIXED_8.apply(net, s + "Mixed_7c", x);
        int k = Math.min(8, x.h());
        x = net.avgPool(s + "Logits/AvgPool_1a_" + k + "x" + k, x, k, 1, VALID);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }
}
