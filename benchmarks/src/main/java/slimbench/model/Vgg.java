package slimbench.model;

import static slimbench.model.Net.Act.NONE;
import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.T;

/** VGG 16 and 19 ({@code nets/vgg.py}): five blocks of 3x3 convs with biases, then fc6-fc8 as convs. */
final class Vgg {
    private static final int[] WIDTHS = {64, 128, 256, 512, 512};

    private Vgg() {}

    static T vgg16(Net net, T x, int classes) {
        return build(net, x, classes, "vgg_16", new int[] {2, 2, 3, 3, 3});
    }

    static T vgg19(Net net, T x, int classes) {
        return build(net, x, classes, "vgg_19", new int[] {2, 2, 4, 4, 4});
    }

    private static T build(Net net, T x, int classes, String scope, int[] convs) {
        for (int b = 0; b < convs.length; b++) {
            String block = scope + "/conv" + (b + 1);
            for (int i = 1; i <= convs[b]; i++) {
                x = net.conv(block + "/conv" + (b + 1) + "_" + i, x, 3, net.ch(WIDTHS[b]), 1, SAME, Norm.BIAS, RELU);
            }
            x = net.maxPool(scope + "/pool" + (b + 1), x, 2, 2, VALID);
        }
        // fc6 is a 7x7 VALID conv over the 7x7 map; a scaled-down input shrinks it to the map.
        x = net.conv(scope + "/fc6", x, Math.min(7, x.h()), net.ch(4096), 1, VALID, Norm.BIAS, RELU);
        x = net.conv(scope + "/fc7", x, 1, net.ch(4096), 1, SAME, Norm.BIAS, RELU);
        x = net.conv(scope + "/fc8", x, 1, classes, 1, SAME, Norm.BIAS, NONE);
        return net.squeeze(scope + "/fc8/squeezed", x);
    }
}
