package slimbench.model;

import static slimbench.model.Net.Act.RELU;

import slimbench.model.Net.Norm;
import slimbench.model.Net.Pad;
import slimbench.model.Net.T;

/**
 * {@code inception_utils.inception_arg_scope}, the layer defaults all five inception nets share:
 * batch norm without gamma, epsilon 1e-3, then relu.
 */
final class InceptionScope {
    static final Norm BN = Norm.batchNorm(false, 1e-3f);

    private InceptionScope() {}

    /** {@code slim.conv2d} under the inception arg scope, {@code cout} given at full size and scaled here. */
    static T conv(Net net, String scope, T x, int kh, int kw, int cout, int stride, Pad pad) {
        return net.conv(scope, x, kh, kw, net.ch(cout), stride, pad, BN, RELU);
    }
}
