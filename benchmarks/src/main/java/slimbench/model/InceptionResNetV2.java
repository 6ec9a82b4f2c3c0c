package slimbench.model;

import static slimbench.model.InceptionScope.avgPoolTower;
import static slimbench.model.InceptionScope.c;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.InceptionScope.maxPoolReduction;
import static slimbench.model.InceptionScope.reduce;
import static slimbench.model.InceptionScope.tower;
import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;

import slimbench.model.Net.Act;
import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * Inception-ResNet v2 ({@code nets/inception_resnet_v2.py}): inception v3's stem, Mixed_5b, then
 * 10 x block35, Mixed_6a, 20 x block17, Mixed_7a, 9 x block8 and a last linear Block8, each block
 * adding a scaled 1x1 up-projection of its concatenated branches to its input.
 */
final class InceptionResNetV2 {
    private InceptionResNetV2() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionResnetV2/";
        x = InceptionV3.stem(net, s, x); // the same stem as v3's
        x = mixed5b(net, s + "Mixed_5b", x);
        // slim.repeat without a scope: Repeat/block35_1 .. 10, Repeat_1/block17_*, Repeat_2/block8_*.
        for (int i = 1; i <= 10; i++) {
            x = block35(net, s + "Repeat/block35_" + i, x, 0.17f, RELU);
        }
        x = mixed6a(net, s + "Mixed_6a", x);
        for (int i = 1; i <= 20; i++) {
            x = block17(net, s + "Repeat_1/block17_" + i, x, 0.10f, RELU);
        }
        x = mixed7a(net, s + "Mixed_7a", x);
        for (int i = 1; i <= 9; i++) {
            x = block8(net, s + "Repeat_2/block8_" + i, x, 0.20f, RELU);
        }
        x = block8(net, s + "Block8", x, 1f, NONE);
        x = conv(net, s + "Conv2d_7b_1x1", x, 1, 1, 1536, 1, SAME);
        x = net.globalAvgPool(s + "Logits/AvgPool_1a_8x8", x);
        return net.fullyConnected(s + "Logits/Logits", x, classes);
    }

    private static T mixed5b(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_1x1", 1, 1, 96)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 48), c("Conv2d_0b_5x5", 5, 5, 64)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 64), c("Conv2d_0b_3x3", 3, 3, 96),
                        c("Conv2d_0c_3x3", 3, 3, 96)),
                avgPoolTower(net, b + "/Branch_3", x, 64));
    }

    private static T mixed6a(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, reduce("Conv2d_1a_3x3", 3, 3, 384)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 256), c("Conv2d_0b_3x3", 3, 3, 256),
                        reduce("Conv2d_1a_3x3", 3, 3, 384)),
                maxPoolReduction(net, b + "/Branch_2", x));
    }

    private static T mixed7a(Net net, String b, T x) {
        return net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_0a_1x1", 1, 1, 256), reduce("Conv2d_1a_3x3", 3, 3, 384)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 256), reduce("Conv2d_1a_3x3", 3, 3, 288)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 256), c("Conv2d_0b_3x3", 3, 3, 288),
                        reduce("Conv2d_1a_3x3", 3, 3, 320)),
                maxPoolReduction(net, b + "/Branch_3", x));
    }

    private static T block35(Net net, String b, T x, float scale, Act act) {
        return up(net, b, x, net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_1x1", 1, 1, 32)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 32), c("Conv2d_0b_3x3", 3, 3, 32)),
                tower(net, b + "/Branch_2", x, c("Conv2d_0a_1x1", 1, 1, 32), c("Conv2d_0b_3x3", 3, 3, 48),
                        c("Conv2d_0c_3x3", 3, 3, 64))), scale, act);
    }

    private static T block17(Net net, String b, T x, float scale, Act act) {
        return up(net, b, x, net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_1x1", 1, 1, 192)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 128), c("Conv2d_0b_1x7", 1, 7, 160),
                        c("Conv2d_0c_7x1", 7, 1, 192))), scale, act);
    }

    private static T block8(Net net, String b, T x, float scale, Act act) {
        return up(net, b, x, net.concat(b + "/concat",
                tower(net, b + "/Branch_0", x, c("Conv2d_1x1", 1, 1, 192)),
                tower(net, b + "/Branch_1", x, c("Conv2d_0a_1x1", 1, 1, 192), c("Conv2d_0b_1x3", 1, 3, 224),
                        c("Conv2d_0c_3x1", 3, 1, 256))), scale, act);
    }

    /** {@code act(x + scale * Conv2d_1x1(mixed))}: the up-projection restores x's depth, with a bias and no batch norm. */
    private static T up(Net net, String block, T x, T mixed, float scale, Act act) {
        T up = net.conv(block + "/Conv2d_1x1", mixed, 1, 1, x.c(), 1, SAME, Norm.BIAS, NONE);
        return net.residual(block, x, up, scale, act);
    }
}
