package slimbench.model;

import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU6;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/** MobileNet v1 1.0/224 ({@code nets/mobilenet_v1.py}): a 3x3 stem and thirteen depthwise-separable pairs. */
final class MobileNetV1 {
    /** (stride, pointwise depth) of Conv2d_1 .. Conv2d_13. */
    private static final int[][] SEPARABLE = {
        {1, 64}, {2, 128}, {1, 128}, {2, 256}, {1, 256}, {2, 512},
        {1, 512}, {1, 512}, {1, 512}, {1, 512}, {1, 512}, {2, 1024}, {1, 1024}};
    private static final Norm BN = Norm.batchNorm(true, 1e-3f);

    private MobileNetV1() {}

    static T build(Net net, T x, int classes) {
        String s = "MobilenetV1/";
        x = net.conv(s + "Conv2d_0", x, 3, net.ch(32), 2, SAME, BN, RELU6);
        for (int i = 0; i < SEPARABLE.length; i++) {
            String layer = s + "Conv2d_" + (i + 1);
            x = net.depthwise(layer + "_depthwise", x, 3, SEPARABLE[i][0], SAME, BN, RELU6);
            x = net.conv(layer + "_pointwise", x, 1, net.ch(SEPARABLE[i][1]), 1, SAME, BN, RELU6);
        }
        x = net.avgPool(s + "Logits/AvgPool_1a", x, Math.min(7, x.h()), 1, VALID);
        x = net.conv(s + "Logits/Conv2d_1c_1x1", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(s + "Logits/SpatialSqueeze", x);
    }
}
