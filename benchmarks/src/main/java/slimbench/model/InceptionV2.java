package slimbench.model;

import static slimbench.model.InceptionScope.conv;
import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

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
                x = reduction(net, s + "Mixed_" + (stage + 3) + "a", x, REDUCTION[stage]);
            }
            for (int i = 0; i < MIXED[stage].length; i++) {
                String block = "Mixed_" + (stage + 3) + (char) ('b' + i);
                x = mixed(net, s + block, x, MIXED[stage][i], !block.equals("Mixed_5c"));
            }
        }
        int k = Math.min(7, x.h());
        x = net.avgPool(s + "Logits/AvgPool_1a_" + k + "x" + k, x, k, 1, VALID);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }

    private static T mixed(Net net, String block, T x, int[] w, boolean avgPool) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, w[0], 1, SAME);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, w[1], 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_3x3", b1, 3, 3, w[2], 1, SAME);
        T b2 = conv(net, block + "/Branch_2/Conv2d_0a_1x1", x, 1, 1, w[3], 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0b_3x3", b2, 3, 3, w[4], 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0c_3x3", b2, 3, 3, w[4], 1, SAME);
        T b3 = avgPool
                ? net.avgPool(block + "/Branch_3/AvgPool_0a_3x3", x, 3, 1, SAME)
                : net.maxPool(block + "/Branch_3/MaxPool_0a_3x3", x, 3, 1, SAME);
        b3 = conv(net, block + "/Branch_3/Conv2d_0b_1x1", b3, 1, 1, w[5], 1, SAME);
        return net.concat(block + "/concat", b0, b1, b2, b3);
    }

    private static T reduction(Net net, String block, T x, int[] w) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, w[0], 1, SAME);
        b0 = conv(net, block + "/Branch_0/Conv2d_1a_3x3", b0, 3, 3, w[1], 2, SAME);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, w[2], 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_3x3", b1, 3, 3, w[3], 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_1a_3x3", b1, 3, 3, w[3], 2, SAME);
        T b2 = net.maxPool(block + "/Branch_2/MaxPool_1a_3x3", x, 3, 2, SAME);
        return net.concat(block + "/concat", b0, b1, b2);
    }
}
