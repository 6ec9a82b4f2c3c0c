package slimbench.model;

import static slimbench.model.InceptionBlock.avgPool;
import static slimbench.model.InceptionBlock.branch;
import static slimbench.model.InceptionBlock.c;
import static slimbench.model.InceptionBlock.down;
import static slimbench.model.InceptionBlock.maxPoolDown;
import static slimbench.model.InceptionBlock.mixed35;
import static slimbench.model.InceptionBlock.reduction35;
import static slimbench.model.InceptionScope.conv;
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
    /** Branch 0 of every block here is one 1x1 scoped {@code Conv2d_1x1}, not by slim's rule. */
    private static final InceptionBlock MIXED_5B = mixed35(5, avgPool(), 96, 48, 64, 64, 96, 96, 64).named(0, 0, "Conv2d_1x1");
    private static final InceptionBlock MIXED_6A = reduction35(384, 256, 256, 384);
    private static final InceptionBlock MIXED_7A = InceptionBlock.of(branch(c(1, 1, 256), down(384)),
            branch(c(1, 1, 256), down(288)), branch(c(1, 1, 256), c(3, 3, 288), down(320)), branch(maxPoolDown()));
    /** The residual blocks' branches, before the up-projection. */
    private static final InceptionBlock BLOCK_35 = InceptionBlock.of(branch(c(1, 1, 32)),
            branch(c(1, 1, 32), c(3, 3, 32)), branch(c(1, 1, 32), c(3, 3, 48), c(3, 3, 64))).named(0, 0, "Conv2d_1x1");
    private static final InceptionBlock BLOCK_17 = InceptionBlock.of(branch(c(1, 1, 192)),
            branch(c(1, 1, 128), c(1, 7, 160), c(7, 1, 192))).named(0, 0, "Conv2d_1x1");
    private static final InceptionBlock BLOCK_8 = InceptionBlock.of(branch(c(1, 1, 192)),
            branch(c(1, 1, 192), c(1, 3, 224), c(3, 1, 256))).named(0, 0, "Conv2d_1x1");

    private InceptionResNetV2() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionResnetV2/";
        x = InceptionV3.stem(net, s, x); // the same stem as v3's
        x = MIXED_5B.apply(net, s + "Mixed_5b", x);
        // slim.repeat without a scope: Repeat/block35_1 .. 10, Repeat_1/block17_*, Repeat_2/block8_*.
        for (int i = 1; i <= 10; i++) {
            x = residual(net, s + "Repeat/block35_" + i, x, BLOCK_35, 0.17f, RELU);
        }
        x = MIXED_6A.apply(net, s + "Mixed_6a", x);
        for (int i = 1; i <= 20; i++) {
            x = residual(net, s + "Repeat_1/block17_" + i, x, BLOCK_17, 0.10f, RELU);
        }
        x = MIXED_7A.apply(net, s + "Mixed_7a", x);
        for (int i = 1; i <= 9; i++) {
            x = residual(net, s + "Repeat_2/block8_" + i, x, BLOCK_8, 0.20f, RELU);
        }
        x = residual(net, s + "Block8", x, BLOCK_8, 1f, NONE);
        x = conv(net, s + "Conv2d_7b_1x1", x, 1, 1, 1536, 1, SAME);
        x = net.globalAvgPool(s + "Logits/AvgPool_1a_8x8", x);
        return net.fullyConnected(s + "Logits/Logits", x, classes);
    }

    /** {@code act(x + scale * Conv2d_1x1(branches))}: the up-projection restores x's depth, with a bias and no batch norm. */
    private static T residual(Net net, String block, T x, InceptionBlock branches, float scale, Act act) {
        T mixed = branches.apply(net, block, x);
        T up = net.conv(block + "/Conv2d_1x1", mixed, 1, 1, x.c(), 1, SAME, Norm.BIAS, NONE);
        return net.residual(block, x, up, scale, act);
    }
}
