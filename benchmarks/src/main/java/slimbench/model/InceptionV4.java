package slimbench.model;

import static slimbench.model.InceptionScope.avgPoolTower;
import static slimbench.model.InceptionScope.c;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.InceptionScope.maxPoolReduction;
import static slimbench.model.InceptionScope.reduce;
import static slimbench.model.InceptionScope.tower;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.T;

/**
 * Inception v4 ({@code nets/inception_v4.py}): a stem of three Mixed blocks to 35x35x384, then
 * 4 x A, reduction A, 7 x B, reduction B, 3 x C, and a fully connected logits layer.
 */
final class InceptionV4 {
    /** How many A, B and C blocks: Mixed_5b..e, Mixed_6b..h, Mixed_7b..d. */
    private static final int A = 4;
    private static final int B = 7;
    private static final int C = 3;

    private InceptionV4() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionV4/";
        x = conv(net, s + "Conv2d_1a_3x3", x, 3, 3, 32, 2, VALID);
        x = conv(net, s + "Conv2d_2a_3x3", x, 3, 3, 32, 1, VALID);
        x = conv(net, s + "Conv2d_2b_3x3", x, 3, 3, 64, 1, SAME);
        x = stem(net, s, x);
        for (int i = 0; i < A; i++) {
            x = blockA(net, s + "Mixed_5" + (char) ('b' + i), x);
        }
        x = reductionA(net, s + "Mixed_6a", x);
        for (int i = 0; i < B; i++) {
            x = blockB(net, s + "Mixed_6" + (char) ('b' + i), x);
        }
        x = reductionB(net, s + "Mixed_7a", x);
        for (int i = 0; i < C; i++) {
            x = blockC(net, s + "Mixed_7" + (char) ('b' + i), x);
        }
        x = net.globalAvgPool(s + "Logits/AvgPool_1a", x);
        return net.fullyConnected(s + "Logits/Logits", x, classes);
    }

    /** Mixed_3a, 4a, 5a: from 147x147x64 to 35x35x384. */
    private static T stem(Net net, String s, T x) {
        String m = s + "Mixed_3a";
        x = net.concat(m + "/concat",
                net.maxPool(m + "/Branch_0/MaxPool_0a_3x3", x, 3, 2, VALID),
                tower(net, m + "/Branch_1", x, reduce("Conv2d_0a_3x3", 3, 3, 96)));
        m = s + "Mixed_4a";
        x = net.concat(m + "/concat",
                tower(net, m + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 64), valid("Conv2d_1a_3x3", 96)),
                tower(net, m + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_1x7", 1, 7, 64),
                        c("Conv2d_0c_7x1", 7, 1, 64), valid("Conv2d_1a_3x3", 96)));
        m = s + "Mixed_5a";
        return net.concat(m + "/concat",
                tower(net, m + "/Branch_0", x, reduce("Conv2d_1a_3x3", 3, 3, 192)),
                maxPoolReduction(net, m + "/Branch_1", x));
    }

    /** A stride-1 VALID 3x3, what shrinks Mixed_4a's towers. */
    private static InceptionScope.Conv valid(String name, int cout) {
        return new InceptionScope.Conv(name, 3, 3, cout, 1, VALID);
    }

    private static T blockA(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 96)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_3x3", 3, 3, 96)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_3x3", 3, 3, 96),
                        c("Conv2d_0c_3x3", 3, 3, 96)),
                avgPoolTower(net, b + "/Branch_3", x, 96));
    }

    private static T reductionA(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, reduce("Conv2d_1a_3x3", 3, 3, 384)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 192), c("Conv2d_0b_3x3", 3, 3, 224),
                        reduce("Conv2d_1a_3x3", 3, 3, 256)),
                maxPoolReduction(net, b + "/Branch_2", x));
    }

    private static T blockB(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 384)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 192), c("Conv2d_0b_1x7", 1, 7, 224),
                        c("Conv2d_0c_7x1", 7, 1, 256)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 192), c("Conv2d_0b_7x1", 7, 1, 192),
                        c("Conv2d_0c_1x7", 1, 7, 224), c("Conv2d_0d_7x1", 7, 1, 224), c("Conv2d_0e_1x7", 1, 7, 256)),
                avgPoolTower(net, b + "/Branch_3", x, 128));
    }

    private static T reductionB(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 192), reduce("Conv2d_1a_3x3", 3, 3, 192)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 256), c("Conv2d_0b_1x7", 1, 7, 256),
                        c("Conv2d_0c_7x1", 7, 1, 320), reduce("Conv2d_1a_3x3", 3, 3, 320)),
                maxPoolReduction(net, b + "/Branch_2", x));
    }

    /** Both of branch 1's and branch 2's ends split into a 1x3 and a 3x1, concatenated. */
    private static T blockC(Net net, String b, T x) {
        T b0 = tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 256));
        T b1 = tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 384));
        b1 = net.concat(b + "/Branch_1/concat",
                tower(net, b + "/Branch_1", b1, c("Conv2d_0b_1x3", 1, 3, 256)),
                tower(net, b + "/Branch_1", b1, c("Conv2d_0c_3x1", 3, 1, 256)));
        T b2 = tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 384), c("Conv2d_0b_3x1", 3, 1, 448),
                c("Conv2d_0c_1x3", 1, 3, 512));
        b2 = net.concat(b + "/Branch_2/concat",
                tower(net, b + "/Branch_2", b2, c("Conv2d_0d_1x3", 1, 3, 256)),
                tower(net, b + "/Branch_2", b2, c("Conv2d_0e_3x1", 3, 1, 256)));
        return net.concat(b + "/concat", b0, b1, b2, avgPoolTower(net, b + "/Branch_3", x, 256));
    }
}
