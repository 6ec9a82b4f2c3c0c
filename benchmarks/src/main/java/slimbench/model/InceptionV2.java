package slimbench.model;

import static slimbench.model.InceptionBlock.avgPool;
import static slimbench.model.InceptionBlock.branch;
import static slimbench.model.InceptionBlock.c;
import static slimbench.model.InceptionBlock.maxPool;
import static slimbench.model.InceptionBlock.mixed35;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.InceptionBlock.Layer;
import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * Inception v2 / BN-Inception ({@code nets/inception_v2.py}): a separable 7x7 stem, then Mixed
 * blocks whose 5x5 is factored into two 3x3s, with two reduction blocks; every layer SAME.
 */
final class InceptionV2 {
    /**
     * Per stage 3, 4, 5 the Mixed blocks b, c, ... as (b0, b1a, b1b, b2a, b2b, b3): 1x1 ‖ 1x1 -> 3x3
     * ‖ 1x1 -> 3x3 -> 3x3 ‖ 3x3 pool -> 1x1.
     */
    private static final int[][][] MIXED = {
        {{64, 64, 64, 64, 96, 32}, {64, 64, 96, 64, 96, 64}},
        {{224, 64, 96, 96, 128, 128}, {192, 96, 128, 96, 128, 128}, {160, 128, 160, 128, 160, 96},
            {96, 128, 192, 160, 192, 96}},
        {{352, 192, 320, 160, 224, 128}, {352, 192, 320, 192, 224, 128}}};
    /**
     * The reduction block opening stages 4 and 5 (Mixed_4a, Mixed_5a) as (b0a, b0b, b1a, b1b):
     * 1x1 -> 3x3/2 ‖ 1x1 -> 3x3 -> 3x3/2 ‖ 3x3/2 max pool.
     */
    private static final int[][] REDUCTION = {null, {128, 160, 64, 96}, {128, 192, 192, 256}};

    private InceptionV2() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionV2/";
        // No batch norm here: the inception arg scope sets a normalizer for slim.conv2d only.
        int multiplier = Math.max(1, Math.min(net.ch(64) / 3, 8));
        x = net.separable(s + "Conv2d_1a_7x7", x, 7, multiplier, net.ch(64), 2, SAME, RELU);
        x = net.maxPool(s + "MaxPool_2a_3x3", x, 3, 2, SAME);
        x = conv(net, s + "Conv2d_2b_1x1", x, 1, 1, 64, 1, SAME);
        x = conv(net, s + "Conv2d_2c_3x3", x, 3, 3, 192, 1, SAME);
        x = net.maxPool(s + "MaxPool_3a_3x3", x, 3, 2, SAME);
        for (int stage = 0; stage < MIXED.length; stage++) {
            if (REDUCTION[stage] != null) {
                x = reduction(REDUCTION[stage]).apply(net, s + "Mixed_" + (stage + 3) + "a", x);
            }
            for (int i = 0; i < MIXED[stage].length; i++) {
                String block = "Mixed_" + (stage + 3) + (char) ('b' + i);
                int[] w = MIXED[stage][i];
                // Mixed_5c pools by max, the others by average.
                Layer pool = block.equals("Mixed_5c") ? maxPool() : avgPool();
                x = mixed35(3, pool, w[0], w[1], w[2], w[3], w[4], w[4], w[5]).apply(net, s + block, x);
            }
        }
        int k = Math.min(7, x.h());
        x = net.avgPool(s + "Logits/AvgPool_1a_" + k + "x" + k, x, k, 1, VALID);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }

    /** 1x1 -> 3x3/2 ‖ 1x1 -> 3x3 -> 3x3/2 ‖ 3x3/2 max pool, all SAME. */
    private static InceptionBlock reduction(int[] w) {
        return InceptionBlock.of(branch(c(1, 1, w[0]), c(3, 3, w[1]).strided(2, SAME)),
                branch(c(1, 1, w[2]), c(3, 3, w[3]), c(3, 3, w[3]).strided(2, SAME)), branch(maxPool().strided(2, SAME)));
    }
}
