package slimbench.model;

import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * ResNet v1 50/101/152 ({@code nets/resnet_v1.py}). As slim does, the stride-2 of blocks 1-3 sits
 * in the 3x3 conv of each block's last unit, and strided convs pad explicitly ({@code conv2d_same}).
 */
final class ResNetV1 {
    private static final Norm BN = Norm.batchNorm(true, 1e-5f);
    /** Bottleneck widths and strides of block1..block4, shared by v1 and v2. */
    static final int[] BOTTLENECK = {64, 128, 256, 512};
    static final int[] STRIDE = {2, 2, 2, 1};
    /** Units per block of the 50-, 101- and 152-layer networks, shared by v1 and v2. */
    static final int[] UNITS_50 = {3, 4, 6, 3};
    static final int[] UNITS_101 = {3, 4, 23, 3};
    static final int[] UNITS_152 = {3, 8, 36, 3};

    private ResNetV1() {}

    static T resnet50(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v1_50", UNITS_50);
    }

    static T resnet101(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v1_101", UNITS_101);
    }

    static T resnet152(Net net, T x, int classes) {
        return build(net, x, classes, "resnet_v1_152", UNITS_152);
    }

    private static T build(Net net, T x, int classes, String scope, int[] units) {
        // Residual branches start small so activations stay in half range through every unit.
        Norm last = BN.gain((float) (1 / Math.sqrt(java.util.Arrays.stream(units).sum())));
        x = convSame(net, scope + "/conv1", x, 7, net.ch(64), 2, BN, RELU);
        x = net.maxPool(scope + "/pool1", x, 3, 2, SAME);
        for (int b = 0; b < units.length; b++) {
            int depth = net.ch(BOTTLENECK[b] * 4);
            int bottleneck = net.ch(BOTTLENECK[b]);
            for (int u = 1; u <= units[b]; u++) {
                int stride = u == units[b] ? STRIDE[b] : 1;
                String unit = scope + "/block" + (b + 1) + "/unit_" + u + "/bottleneck_v1";
                T shortcut = x.c() == depth
                        ? subsample(net, unit + "/shortcut", x, stride)
                        : net.conv(unit + "/shortcut", x, 1, depth, stride, SAME, BN, NONE);
                T r = net.conv(unit + "/conv1", x, 1, bottleneck, 1, SAME, BN, RELU);
                r = convSame(net, unit + "/conv2", r, 3, bottleneck, stride, BN, RELU);
                r = net.conv(unit + "/conv3", r, 1, depth, 1, SAME, last, NONE);
                x = net.residual(unit, shortcut, r, 1f, RELU);
            }
        }
        x = net.mean(scope + "/pool5", x);
        x = net.conv(scope + "/logits", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(scope + "/SpatialSqueeze", x);
    }

    /** resnet_utils.conv2d_same: SAME when stride 1, else explicit symmetric-ish padding then VALID. */
    static T convSame(Net net, String scope, T x, int k, int cout, int stride, Norm norm, Net.Act act) {
        if (stride == 1) {
            return net.conv(scope, x, k, cout, 1, SAME, norm, act);
        }
        int total = k - 1;
        x = net.pad(scope + "/Pad", x, total / 2, total - total / 2);
        return net.conv(scope, x, k, cout, stride, VALID, norm, act);
    }

    /** resnet_utils.subsample: identity, or a 1x1 max pool with the stride. */
    static T subsample(Net net, String scope, T x, int stride) {
        return stride == 1 ? x : net.maxPool(scope, x, 1, stride, VALID);
    }
}
