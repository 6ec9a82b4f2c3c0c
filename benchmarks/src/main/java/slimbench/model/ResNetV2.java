package slimbench.model;

import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * ResNet v2 50/101/152 ({@code nets/resnet_v2.py}): pre-activation units ({@code preact} batch norm
 * and relu first), biased conv1, shortcut and conv3, and a {@code postnorm} before the pool.
 */
final class ResNetV2 {
    private static final float EPS = 1e-5f;
    private static final Norm BN = Norm.batchNorm(true, EPS);

    private ResNetV2() {}

    static T resnet50(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v2_50", ResNetV1.UNITS_50);
    }

    static T resnet101(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v2_101", ResNetV1.UNITS_101);
    }

    static T resnet152(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v2_152", ResNetV1.UNITS_152);
    }

    private static T build(Net net, T x, int classes, String scope, int[] units) {
        Norm last = Norm.BIAS.gain((float) (1 / Math.sqrt(java.util.Arrays.stream(units).sum())));
        x = ResNetV1.convSame(net, scope + "/conv1", x, 7, net.ch(64), 2, Norm.BIAS, NONE);
        x = net.maxPool(scope + "/pool1", x, 3, 2, SAME);
        for (int b = 0; b < units.length; b++) {
            int depth = net.ch(ResNetV1.BOTTLENECK[b] * 4);
            int bottleneck = net.ch(ResNetV1.BOTTLENECK[b]);
            for (int u = 1; u <= units[b]; u++) {
                int stride = u == units[b] ? ResNetV1.STRIDE[b] : 1;
                String unit = scope + "/block" + (b + 1) + "/unit_" + u + "/bottleneck_v2";
                T preact = net.batchNorm(unit + "/preact", x, EPS, RELU);
                T shortcut = x.c() == depth
                        ? ResNetV1.subsample(net, unit + "/shortcut", x, stride)
                        : net.conv(unit + "/shortcut", preact, 1, depth, stride, SAME, Norm.BIAS, NONE);
                T r = net.conv(unit + "/conv1", preact, 1, bottleneck, 1, SAME, BN, RELU);
                r = ResNetV1.convSame(net, unit + "/conv2", r, 3, bottleneck, stride, BN, RELU);
                r = net.conv(unit + "/conv3", r, 1, depth, 1, SAME, last, NONE);
                x = net.residual(unit, shortcut, r, 1f, NONE);
            }
        }
        x = net.batchNorm(scope + "/postnorm", x, EPS, RELU);
        x = net.mean(scope + "/pool5", x);
        x = net.conv(scope + "/logits", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(scope + "/SpatialSqueeze", x);
    }
}
