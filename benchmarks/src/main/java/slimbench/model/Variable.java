package slimbench.model;

import java.util.Arrays;

/**
 * A model variable as slim names it ({@code vgg_16/conv1/conv1_1/weights}) with its shape; in a
 * frozen graph it is a {@code Const} of the same name.
 *
 * @param gain how much the initial values are scaled (see {@link Net.Norm#gain})
 */
public record Variable(String name, Init init, int[] shape, float gain) {
    Variable(String name, Init init, int[] shape) {
        this(name, init, shape, 1f);
    }

    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The number of inputs each output sums over, for the initial scale. */
    int fanIn() {
        if (name.endsWith("depthwise_weights")) {
            return shape[0] * shape[1];
        }
        long n = size() / shape[shape.length - 1];
        return (int) n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Variable v && v.name.equals(name) && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
