package slimbench.model;

import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU6;
import static slimbench.model.Net.Pad.SAME;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/**
 * MobileNet v2 1.0/224 ({@code nets/mobilenet/mobilenet_v2.py} V2_DEF): seventeen inverted
 * residual blocks (expand 1x1, depthwise 3x3, linear project 1x1), added back when shapes allow.
 */
final class MobileNetV2 {
    /** (expansion t, output channels c, stride s) of expanded_conv .. expanded_conv_16. */
    private static final int[][] BLOCKS = {
        {1, 16, 1}, {6, 24, 2}, {6, 24, 1}, {6, 32, 2}, {6, 32, 1}, {6, 32, 1},
        {6, 64, 2}, {6, 64, 1}, {6, 64, 1}, {6, 64, 1}, {6, 96, 1}, {6, 96, 1}, {6, 96, 1},
        {6, 160, 2}, {6, 160, 1}, {6, 160, 1}, {6, 320, 1}};
    private static final Norm BN = Norm.batchNorm(true, 1e-3f);

    private MobileNetV2() {}

    static T build(Net net, T x, int classes) {
        String s = "MobilenetV2/";
        x = net.conv(s + "Conv", x, 3, net.ch(32), 2, SAME, BN, RELU6);
        for (int i = 0; i < BLOCKS.length; i++) {
            int t = BLOCKS[i][0];
            int cout = net.ch(BLOCKS[i][1]);
            int stride = BLOCKS[i][2];
            String block = s + (i == 0 ? "expanded_conv" : "expanded_conv_" + i);
            T y = x;
            if (t != 1) {
                y = net.conv(block + "/expand", y, 1, makeDivisible(x.c() * t), 1, SAME, BN, RELU6);
            }
            y = net.depthwise(block + "/depthwise", y, 3, stride, SAME, BN, RELU6);
            boolean residual = stride == 1 && x.c() == cout;
            y = net.conv(block + "/project", y, 1, cout, 1, SAME, residual ? BN.gain(0.5f) : BN, NONE);
            x = residual ? net.residual(block, x, y, 1f, NONE) : y;
        }
        x = net.conv(s + "Conv_1", x, 1, net.ch(1280), 1, SAME, BN, RELU6);
        x = net.globalAvgPool(s + "Logits/AvgPool", x);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/output", x);
    }

    /** mobilenet.py's _make_divisible(v, 8): round to a multiple of 8, never down by more than 10%. */
    private static int makeDivisible(int v) {
        int d = 8;
        int n = Math.max(d, (v + d / 2) / d * d);
        return n < 0.9 * v ? n + d : n;
    }
}
