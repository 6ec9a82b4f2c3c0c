package slimbench.model;

import static slimbench.model.Net.Pad.SAME;
import static slimbench.model.Net.Pad.VALID;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import slimbench.model.Net.Pad;
import slimbench.model.Net.T;

/**
 * An inception block as a table: its branches ({@code Branch_0}, {@code Branch_1}, ...), each a list of
 * layers applied in turn, concatenated. Scope names follow slim's rule, {@code <Op>_<row><letter>_<kh>x<kw>}:
 * row 0 lettered a, b, c... in order, row 1 for the layer that shrinks the map (stride 2 or VALID);
 * slim's departures from it are spelled out with {@link #named}. The block shapes more than one net is
 * built of (v3, v4, inception-resnet) are here, widths at full size.
 */
record InceptionBlock(List<List<Layer>> branches) {
    /** A convolution ({@code Conv2d}) or a pool, or a split: two layers applied to the same input, concatenated. */
    record Layer(String op, int kh, int kw, int cout, int stride, Pad pad, String name, List<Layer> split) {
        Layer named(String scope) {
            return new Layer(op, kh, kw, cout, stride, pad, scope, split);
        }

        Layer strided(int s, Pad p) {
            return new Layer(op, kh, kw, cout, s, p, name, split);
        }

        private boolean shrinks() {
            return stride > 1 || pad == VALID;
        }
    }

    /** A stride-1 SAME convolution, what most of a branch is. */
    static Layer c(int kh, int kw, int cout) {
        return new Layer("Conv2d", kh, kw, cout, 1, SAME, null, List.of());
    }

    /** A stride-2 VALID 3x3 convolution, what ends a reduction block's branch. */
    static Layer down(int cout) {
        return c(3, 3, cout).strided(2, VALID);
    }

    /** A stride-1 VALID 3x3 convolution. */
    static Layer valid(int cout) {
        return c(3, 3, cout).strided(1, VALID);
    }

    /** The 3x3 stride-1 SAME average pool that opens a pooling branch. */
    static Layer avgPool() {
        return new Layer("AvgPool", 3, 3, 0, 1, SAME, null, List.of());
    }

    /** The 3x3 stride-1 SAME max pool, where v1 and v2 pool. */
    static Layer maxPool() {
        return new Layer("MaxPool", 3, 3, 0, 1, SAME, null, List.of());
    }

    /** The 3x3 stride-2 VALID max pool, a reduction block's last branch. */
    static Layer maxPoolDown() {
        return maxPool().strided(2, VALID);
    }

    /** A 1xk and a kx1 of the same input, concatenated as {@code <branch>/concat}. */
    static Layer split(int k, int cout) {
        return new Layer(null, 0, 0, 0, 1, SAME, null, List.of(c(1, k, cout), c(k, 1, cout)));
    }

    @SafeVarargs
    static InceptionBlock of(List<Layer>... branches) {
        return new InceptionBlock(List.of(branches));
    }

    static List<Layer> branch(Layer... layers) {
        return List.of(layers);
    }

    /**
     * The block with layer {@code layer} of branch {@code branch} scoped {@code name} instead of by the rule;
     * a split's two layers count as two.
     */
    InceptionBlock named(int branch, int layer, String name) {
        List<List<Layer>> bs = new ArrayList<>(branches);
        List<Layer> ls = new ArrayList<>(bs.get(branch));
        int i = 0;
        for (int j = 0; j < ls.size(); j++) {
            Layer l = ls.get(j);
            if (l.split().isEmpty()) {
                if (i++ == layer) {
                    ls.set(j, l.named(name));
                }
            } else {
                List<Layer> halves = new ArrayList<>(l.split());
                for (int h = 0; h < halves.size(); h++) {
                    if (i++ == layer) {
                        halves.set(h, halves.get(h).named(name));
                    }
                }
                ls.set(j, new Layer(null, 0, 0, 0, 1, SAME, null, List.copyOf(halves)));
            }
        }
        if (layer >= i) {
            throw new IllegalArgumentException("branch " + branch + " has " + i + " layers, not " + (layer + 1));
        }
        bs.set(branch, List.copyOf(ls));
        return new InceptionBlock(List.copyOf(bs));
    }

    /** The block under scope {@code block}: its branches in order, then {@code <block>/concat}. */
    T apply(Net net, String block, T x) {
        T[] outs = new T[branches.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = new Namer(net, block + "/Branch_" + i).apply(x, branches.get(i));
        }
        return net.concat(block + "/concat", outs);
    }

    /** Applies one branch's layers, naming each by slim's rule as it goes. */
    private static final class Namer {
        private final Net net;
        private final String branch;
        private final int[] letters = new int[2];

        Namer(Net net, String branch) {
            this.net = net;
            this.branch = branch;
        }

        T apply(T x, List<Layer> layers) {
            for (Layer l : layers) {
                if (l.split().isEmpty()) {
                    x = layer(x, l);
                } else {
                    T[] halves = new T[l.split().size()];
                    for (int h = 0; h < halves.length; h++) {
                        halves[h] = layer(x, l.split().get(h));
                    }
                    x = net.concat(branch + "/concat", halves);
                }
            }
            return x;
        }

        private T layer(T x, Layer l) {
            int row = l.shrinks() ? 1 : 0;
            String name = l.name() != null ? l.name()
                    : l.op() + "_" + row + (char) ('a' + letters[row]) + "_" + l.kh() + "x" + l.kw();
            letters[row]++;
            String scope = branch + "/" + name;
            return switch (l.op()) {
                case "Conv2d" -> InceptionScope.conv(net, scope, x, l.kh(), l.kw(), l.cout(), l.stride(), l.pad());
                case "MaxPool" -> net.maxPool(scope, x, l.kh(), l.stride(), l.pad());
                case "AvgPool" -> net.avgPool(scope, x, l.kh(), l.stride(), l.pad());
                default -> throw new IllegalStateException("no layer " + l.op());
            };
        }
    }

    /**
     * 1x1 ‖ 1x1 -> kxk ‖ 1x1 -> 3x3 -> 3x3 ‖ pool -> 1x1, widths {b0, b1a, b1b, b2a, b2b, b2c, pool}: v3's
     * Mixed_5b..d and inception-resnet's Mixed_5b (k = 5), v4's A and v2's Mixed blocks (k = 3).
     */
    static InceptionBlock mixed35(int k, Layer pool, int... w) {
        widths(w, 7);
        return of(branch(c(1, 1, w[0])), branch(c(1, 1, w[1]), c(k, k, w[2])),
                branch(c(1, 1, w[3]), c(3, 3, w[4]), c(3, 3, w[5])), branch(pool, c(1, 1, w[6])));
    }

    /** 35x35 to 17x17 (Mixed_6a of v3, v4, inception-resnet): 3x3/2 ‖ 1x1 -> 3x3 -> 3x3/2 ‖ max pool, widths {b0, b1a, b1b, b1c}. */
    static InceptionBlock reduction35(int... w) {
        widths(w, 4);
        return of(branch(down(w[0])), branch(c(1, 1, w[1]), c(3, 3, w[2]), down(w[3])), branch(maxPoolDown()));
    }

    /**
     * 17x17 with factored 7x7s (v3 Mixed_6b..e, v4's B): 1x1 ‖ 1x1 -> 1x7 -> 7x1 ‖ 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 ‖
     * avg pool -> 1x1, widths {b0, b1a, b1b, b1c, b2a, b2b, b2c, b2d, b2e, pool}.
     */
    static InceptionBlock mixed17(int... w) {
        widths(w, 10);
        return of(branch(c(1, 1, w[0])), branch(c(1, 1, w[1]), c(1, 7, w[2]), c(7, 1, w[3])),
                branch(c(1, 1, w[4]), c(7, 1, w[5]), c(1, 7, w[6]), c(7, 1, w[7]), c(1, 7, w[8])),
                branch(avgPool(), c(1, 1, w[9])));
    }

    /** 17x17 to 8x8 (Mixed_7a of v3 and v4): 1x1 -> 3x3/2 ‖ 1x1 -> 1x7 -> 7x1 -> 3x3/2 ‖ max pool, widths {b0a, b0b, b1a, b1b, b1c, b1d}. */
    static InceptionBlock reduction17(int... w) {
        widths(w, 6);
        return of(branch(c(1, 1, w[0]), down(w[1])), branch(c(1, 1, w[2]), c(1, 7, w[3]), c(7, 1, w[4]), down(w[5])),
                branch(maxPoolDown()));
    }

    private static void widths(int[] w, int n) {
        if (w.length != n) {
            throw new IllegalArgumentException("a block of this shape takes " + n + " widths, not " + Arrays.toString(w));
        }
    }
}
