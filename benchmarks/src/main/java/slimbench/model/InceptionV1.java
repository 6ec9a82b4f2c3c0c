package slimbench.model;

import static slimbench.model.InceptionBlock.branch;
import static slimbench.model.InceptionBlock.c;
import static slimbench.model.InceptionBlock.maxPool;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * Inception v1 / GoogLeNet ({@code nets/inception_v1.py}): a 7x7 stem and nine four-branch Mixed
 * blocks, every layer SAME.
 */
final class InceptionV1 {
    /**
     * Per stage 3, 4, 5 the Mixed blocks b, c, ... as (b0, b1a, b1b, b2a, b2b, b3): 1x1 ‖ 1x1 -> 3x3
     * ‖ 1x1 -> 3x3 ‖ 3x3 max pool -> 1x1. Stages 4 and 5 open with a stride-2 max pool.
     */
    private static final int[][][] MIXED = {
        {{64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64}},
        {{192, 96, 208, 16, 48, 64}, {160, 112, 224, 24, 64, 64}, {128, 128, 256, 24, 64, 64},
            {112, 144, 288, 32, 64, 64}, {256, 160, 320, 32, 128, 128}},
        {{256, 160, 320, 32, 128, 128}, {384, 192, 384, 48, 128, 128}}};
    /** The kernel of the stride-2 max pool opening each stage (0: none): MaxPool_4a_3x3, MaxPool_5a_2x2. */
    private static final int[] STAGE_POOL = {0, 3, 2};

    private InceptionV1() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionV1/";
        x = conv(net, s + "Conv2d_1a_7x7", x, 7, 7, 64, 2, SAME);
        x = net.maxPool(s + "MaxPool_2a_3x3", x, 3, 2, SAME);
        x = conv(net, s + "Conv2d_2b_1x1", x, 1, 1, 64, 1, SAME);
        x = conv(net, s + "Conv2d_2c_3x3", x, 3, 3, 192, 1, SAME);
        x = net.maxPool(s + "MaxPool_3a_3x3", x, 3, 2, SAME);
        for (int stage = 0; stage < MIXED.length; stage++) {
            int k = STAGE_POOL[stage];
            if (k > 0) {
                x = net.maxPool(s + "MaxPool_" + (stage + 3) + "a_" + k + "x" + k, x, k, 2, SAME);
            }
            for (int i = 0; i < MIXED[stage].length; i++) {
                String block = "Mixed_" + (stage + 3) + (char) ('b' + i);
                InceptionBlock mixed = mixed(MIXED[stage][i]);
                if (block.equals("Mixed_5b")) { // slim's typo (inception_v1.py:240): its second branch-2 conv is also "0a"
                    mixed = mixed.named(2, 1, "Conv2d_0a_3x3");
                }
                x = mixed.apply(net, s + block, x);
            }
        }
        // slim pools with a fixed 7x7 here; a scaled-down input shrinks it to the map.
        x = net.avgPool(s + "Logits/AvgPool_0a_7x7", x, Math.min(7, x.h()), 1, VALID);
        x = net.conv(s + "Logits/Conv2d_0c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }

    /** 1x1 ‖ 1x1 -> 3x3 ‖ 1x1 -> 3x3 ‖ 3x3 max pool -> 1x1. */
    private static InceptionBlock mixed(int[] w) {
        return InceptionBlock.of(branch(c(1, 1, w[0])), branch(c(1, 1, w[1]), c(3, 3, w[2])),
                branch(c(1, 1, w[3]), c(3, 3, w[4])), branch(maxPool(), c(1, 1, w[5])));
    }
}
