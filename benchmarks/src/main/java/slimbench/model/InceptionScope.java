package slimbench.model;

import static slimbench.model.Net.Act.RELU;
import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import slimbench.model.Net.Norm;
import slimbench.model.Net.Pad;
import slimbench.model.Net.T;

/**
 * {@code inception_utils.inception_arg_scope}, the layer defaults all five inception nets share:
 * batch norm without gamma, epsilon 1e-3, then relu; and the tower, the branch of an inception block
 * that every block is written with, as a table of its convolutions.
 */
final class InceptionScope {
    static final Norm BN = Norm.batchNorm(false, 1e-3f);

    private InceptionScope() {}

    /** {@code slim.conv2d} under the inception arg scope, {@code cout} given at full size and scaled here. */
    static T conv(Net net, String scope, T x, int kh, int kw, int cout, int stride, Pad pad) {
        return net.conv(scope, x, kh, kw, net.ch(cout), stride, pad, BN, RELU);
    }

    /** One convolution of a tower: its scope under the branch, kernel, full-size width, stride and padding. */
    record Conv(String name, int kh, int kw, int cout, int stride, Pad pad) {}

    /** A stride-1 SAME convolution, what most of a tower is. */
    static Conv c(String name, int kh, int kw, int cout) {
        return new Conv(name, kh, kw, cout, 1, SAME);
    }

    /** A stride-2 VALID convolution, what ends a reduction block's tower. */
    static Conv reduce(String name, int kh, int kw, int cout) {
        return new Conv(name, kh, kw, cout, 2, VALID);
    }

    /** A branch ({@code <block>/Branch_N}): its convolutions applied in turn to {@code x}. */
    static T tower(Net net, String branch, T x, Conv... convs) {
        for (Conv c : convs) {
            x = conv(net, branch + "/" + c.name(), x, c.kh(), c.kw(), c.cout(), c.stride(), c.pad());
        }
        return x;
    }

    /** A pooling branch: a 3x3 average pool ({@code AvgPool_0a_3x3}), then its 1x1. */
    static T avgPoolTower(Net net, String branch, T x, int cout) {
        return tower(net, branch, net.avgPool(branch + "/AvgPool_0a_3x3", x, 3, 1, SAME), c("Conv2d_0b_1x1", 1, 1, cout));
    }

    /** A reduction's pooling branch: a stride-2 3x3 max pool ({@code MaxPool_1a_3x3}). */
    static T maxPoolReduction(Net net, String branch, T x) {
        return net.maxPool(branch + "/MaxPool_1a_3x3", x, 3, 2, VALID);
    }
}
