package slimbench.model;

import static slimbench.model.InceptionBlock.avgPool;
import static slimbench.model.InceptionBlock.branch;
import static slimbench.model.InceptionBlock.c;
import static slimbench.model.InceptionBlock.down;
import static slimbench.model.InceptionBlock.maxPoolDown;
import static slimbench.model.InceptionBlock.mixed17;
import static slimbench.model.InceptionBlock.mixed35;
import static slimbench.model.InceptionBlock.reduction17;
import static slimbench.model.InceptionBlock.reduction35;
import static slimbench.model.InceptionBlock.split;
import static slimbench.model.InceptionBlock.valid;
import static slimbench.model.InceptionScope.conv;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.T;

/**
 * Inception v4 ({@code nets/inception_v4.py}): a stem of three Mixed blocks to 35x35x384, then
 * 4 x A, reduction A, 7 x B, reduction B, 3 x C, and a fully connected logits layer.
 */
final class InceptionV4 {
    /** The stem's three Mixed blocks, from 147x147x64 to 35x35x384; Mixed_3a's two stride-2 layers are scoped 0a. */
    private static final InceptionBlock MIXED_3A = InceptionBlock.of(branch(maxPoolDown()), branch(down(96)))
            .named(0, 0, "MaxPool_0a_3x3").named(1, 0, "Conv2d_0a_3x3");
    private static final InceptionBlock MIXED_4A = InceptionBlock.of(branch(c(1, 1, 64), valid(96)),
            branch(c(1, 1, 64), c(1, 7, 64), c(7, 1, 64), valid(96)));
    private static final InceptionBlock MIXED_5A = InceptionBlock.of(branch(down(192)), branch(maxPoolDown()));
    /** 4 x A (Mixed_5b..e), reduction A, 7 x B (Mixed_6b..h), reduction B, 3 x C (Mixed_7b..d). */
    private static final InceptionBlock A = mixed35(3, avgPool(), 96, 64, 96, 64, 96, 96, 96);
    private static final InceptionBlock REDUCTION_A = reduction35(384, 192, 224, 256);
    private static final InceptionBlock B = mixed17(384, 192, 224, 256, 192, 192, 224, 224, 256, 128);
    private static final InceptionBlock REDUCTION_B = reduction17(192, 192, 256, 256, 320, 320);
    /** Both of branch 1's and branch 2's ends split into a 1x3 and a 3x1, concatenated. */
    private static final InceptionBlock C = InceptionBlock.of(branch(c(1, 1, 256)), branch(c(1, 1, 384), split(3, 256)),
            branch(c(1, 1, 384), c(3, 1, 448), c(1, 3, 512), split(3, 256)), branch(avgPool(), c(1, 1, 256)));

    private InceptionV4() {}

    static T build(Net net, T x, int classes) {
        String s = "InceptionV4/";
        x = conv(net, s + "Conv2d_1a_3x3", x, 3, 3, 32, 2, VALID);
        x = conv(net, s + "Conv2d_2a_3x3", x, 3, 3, 32, 1, VALID);
        x = conv(net, s + "Conv2d_2b_3x3", x, 3, 3, 64, 1, SAME);
        x = MIXED_3A.apply(net, s + "Mixed_3a", x);
        x = MIXED_4A.apply(net, s + "Mixed_4a", x);
        x = MIXED_5A.apply(net, s + "Mixed_5a", x);
        x = repeat(net, s + "Mixed_5", x, A, 4);
        x = REDUCTION_A.apply(net, s + "Mixed_6a", x);
        x = repeat(net, s + "Mixed_6", x, B, 7);
        x = REDUCTION_B.apply(net, s + "Mixed_7a", x);
        x = repeat(net, s + "Mixed_7", x, C, 3);
        x = net.globalAvgPool(s + "Logits/AvgPool_1a", x);
        return net.fullyConnected(s + "Logits/Logits", x, classes);
    }

    /** {@code n} of {@code block} in a row, scoped {@code <stage>b}, {@code <stage>c}, ... */
    private static T repeat(Net net, String stage, T x, InceptionBlock block, int n) {
        for (int i = 0; i < n; i++) {
            x = block.apply(net, stage + (char) ('b' + i), x);
        }
        return x;
    }
}
