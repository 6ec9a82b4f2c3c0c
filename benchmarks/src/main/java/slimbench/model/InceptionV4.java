package slimbench.model;

import static slimbench.model.InceptionScope.conv;
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
                conv(net, m + "/Branch_1/Conv2d_0a_3x3", x, 3, 3, 96, 2, VALID));
        m = s + "Mixed_4a";
        T b0 = conv(net, m + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, 64, 1, SAME);
        b0 = conv(net, m + "/Branch_0/Conv2d_1a_3x3", b0, 3, 3, 96, 1, VALID);
        T b1 = conv(net, m + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 64, 1, SAME);
        b1 = conv(net, m + "/Branch_1/Conv2d_0b_1x7", b1, 1, 7, 64, 1, SAME);
        b1 = conv(net, m + "/Branch_1/Conv2d_0c_7x1", b1, 7, 1, 64, 1, SAME);
        b1 = conv(net, m + "/Branch_1/Conv2d_1a_3x3", b1, 3, 3, 96, 1, VALID);
        x = net.concat(m + "/concat", b0, b1);
        m = s + "Mixed_5a";
        return net.concat(m + "/concat",
                conv(net, m + "/Branch_0/Conv2d_1a_3x3", x, 3, 3, 192, 2, VALID),
                net.maxPool(m + "/Branch_1/MaxPool_1a_3x3", x, 3, 2, VALID));
    }

    private static T blockA(Net net, String block, T x) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, 96, 1, SAME);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 64, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_3x3", b1, 3, 3, 96, 1, SAME);
        T b2 = conv(net, block + "/Branch_2/Conv2d_0a_1x1", x, 1, 1, 64, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0b_3x3", b2, 3, 3, 96, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0c_3x3", b2, 3, 3, 96, 1, SAME);
        T b3 = net.avgPool(block + "/Branch_3/AvgPool_0a_3x3", x, 3, 1, SAME);
        b3 = conv(net, block + "/Branch_3/Conv2d_0b_1x1", b3, 1, 1, 96, 1, SAME);
        return net.concat(block + "/concat", b0, b1, b2, b3);
    }

    private static T reductionA(Net net, String block, T x) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_1a_3x3", x, 3, 3, 384, 2, VALID);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 192, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_3x3", b1, 3, 3, 224, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_1a_3x3", b1, 3, 3, 256, 2, VALID);
        T b2 = net.maxPool(block + "/Branch_2/MaxPool_1a_3x3", x, 3, 2, VALID);
        return net.concat(block + "/concat", b0, b1, b2);
    }

    private static T blockB(Net net, String block, T x) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, 384, 1, SAME);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 192, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_1x7", b1, 1, 7, 224, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0c_7x1", b1, 7, 1, 256, 1, SAME);
        T b2 = conv(net, block + "/Branch_2/Conv2d_0a_1x1", x, 1, 1, 192, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0b_7x1", b2, 7, 1, 192, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0c_1x7", b2, 1, 7, 224, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0d_7x1", b2, 7, 1, 224, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0e_1x7", b2, 1, 7, 256, 1, SAME);
        T b3 = net.avgPool(block + "/Branch_3/AvgPool_0a_3x3", x, 3, 1, SAME);
        b3 = conv(net, block + "/Branch_3/Conv2d_0b_1x1", b3, 1, 1, 128, 1, SAME);
        return net.concat(block + "/concat", b0, b1, b2, b3);
    }

    private static T reductionB(Net net, String block, T x) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, 192, 1, SAME);
        b0 = conv(net, block + "/Branch_0/Conv2d_1a_3x3", b0, 3, 3, 192, 2, VALID);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 256, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0b_1x7", b1, 1, 7, 256, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_0c_7x1", b1, 7, 1, 320, 1, SAME);
        b1 = conv(net, block + "/Branch_1/Conv2d_1a_3x3", b1, 3, 3, 320, 2, VALID);
        T b2 = net.maxPool(block + "/Branch_2/MaxPool_1a_3x3", x, 3, 2, VALID);
        return net.concat(block + "/concat", b0, b1, b2);
    }

    private static T blockC(Net net, String block, T x) {
        T b0 = conv(net, block + "/Branch_0/Conv2d_0a_1x1", x, 1, 1, 256, 1, SAME);
        T b1 = conv(net, block + "/Branch_1/Conv2d_0a_1x1", x, 1, 1, 384, 1, SAME);
        b1 = net.concat(block + "/Branch_1/concat",
                conv(net, block + "/Branch_1/Conv2d_0b_1x3", b1, 1, 3, 256, 1, SAME),
                conv(net, block + "/Branch_1/Conv2d_0c_3x1", b1, 3, 1, 256, 1, SAME));
        T b2 = conv(net, block + "/Branch_2/Conv2d_0a_1x1", x, 1, 1, 384, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0b_3x1", b2, 3, 1, 448, 1, SAME);
        b2 = conv(net, block + "/Branch_2/Conv2d_0c_1x3", b2, 1, 3, 512, 1, SAME);
        b2 = net.concat(block + "/Branch_2/concat",
                conv(net, block + "/Branch_2/Conv2d_0d_1x3", b2, 1, 3, 256, 1, SAME),
                conv(net, block + "/Branch_2/Conv2d_0e_3x1", b2, 3, 1, 256, 1, SAME));
        T b3 = net.avgPool(block + "/Branch_3/AvgPool_0a_3x3", x, 3, 1, SAME);
        b3 = conv(net, block + "/Branch_3/Conv2d_0b_1x1", b3, 1, 1, 256, 1, SAME);
        return net.concat(block + "/concat", b0, b1, b2, b3);
    }
}
