package slimbench.model;

import static slimbench.model.InceptionScope.avgPoolTower;
import static slimbench.model.InceptionScope.c;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.InceptionScope.maxPoolReduction;
import static slimbench.model.InceptionScope.reduce;
import static slimbench.model.InceptionScope.tower;
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
            x = mixed35(net, s + "Mixed_5" + (char) ('b' + i), x, POOL_35[i]);
        }
        x = reduction35(net, s + "Mixed_6a", x);
        for (int i = 0; i < INNER_17.length; i++) {
            x = mixed17(net, s + "Mixed_6" + (char) ('b' + i), x, INNER_17[i]);
        }
        x = reduction17(net, s + "Mixed_7a", x);
        x = mixed8(net, s + "Mixed_7b", x, "Conv2d_0b_3x1");
        x = mixed8(net, s + "Mixed_7c", x, "Conv2d_0c_3x1");
        int k = Math.min(8, x.h());
        x = net.avgPool(s + "Logits/AvgPool_1a_" + k + "x" + k, x, k, 1, VALID);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }

    private static T mixed35(Net net, String b, T x, int pool) {
        // Slim names Mixed_5c's 5x5 tower differently from 5b's and 5d's.
        boolean quirk = b.endsWith("Mixed_5c");
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 64)),
                tower(net, b + "/Branch_1", x, c(quirk ? "Conv2d_0b_1x1" : "Conv2d_0a_1x1", 1, 1, 48),
                        c(quirk ? "Conv_1_0c_5x5" : "Conv2d_0b_5x5", 5, 5, 64)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_3x3", 3, 3, 96),
                        c("Conv2d_0c_3x3", 3, 3, 96)),
                avgPoolTower(net, b + "/Branch_3", x, pool));
    }

    /** Mixed_6a; both stride-2 convs are 3x3 but scoped {@code Conv2d_1a_1x1}, as slim names them. */
    private static T reduction35(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, reduce("Conv2d_1a_1x1", 3, 3, 384)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_3x3", 3, 3, 96),
                        reduce("Conv2d_1a_1x1", 3, 3, 96)),
                maxPoolReduction(net, b + "/Branch_2", x));
    }

    private static T mixed17(Net net, String b, T x, int c) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 192)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, c), c("Conv2d_0b_1x7", 1, 7, c),
                        c("Conv2d_0c_7x1", 7, 1, 192)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, c), c("Conv2d_0b_7x1", 7, 1, c),
                        c("Conv2d_0c_1x7", 1, 7, c), c("Conv2d_0d_7x1", 7, 1, c), c("Conv2d_0e_1x7", 1, 7, 192)),
                avgPoolTower(net, b + "/Branch_3", x, 192));
    }

    private static T reduction17(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 192), reduce("Conv2d_1a_3x3", 3, 3, 320)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 192), c("Conv2d_0b_1x7", 1, 7, 192),
                        c("Conv2d_0c_7x1", 7, 1, 192), reduce("Conv2d_1a_3x3", 3, 3, 192)),
                maxPoolReduction(net, b + "/Branch_2", x));
    }

    /** Mixed_7b/7c; {@code split3x1} is branch 1's 3x1 scope, {@code Conv2d_0b_3x1} in 7b, {@code 0c} in 7c. */
    private static T mixed8(Net net, String b, T x, String split3x1) {
        T b0 = tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 320));
        T b1 = tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 384));
        b1 = net.concat(b + "/Branch_1/concat",
                tower(net, b + "/Branch_1", b1, c("Conv2d_0b_1x3", 1, 3, 384)),
                tower(net, b + "/Branch_1", b1, c(split3x1, 3, 1, 384)));
        T b2 = tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 448), c("Conv2d_0b_3x3", 3, 3, 384));
        b2 = net.concat(b + "/Branch_2/concat",
                tower(net, b + "/Branch_2", b2, c("Conv2d_0c_1x3", 1, 3, 384)),
                tower(net, b + "/Branch_2", b2, c("Conv2d_0d_3x1", 3, 1, 384)));
        return net.concat(b + "/concat", b0, b1, b2, avgPoolTower(net, b + "/Branch_3", x, 192));
    }
}
