package slimbench.engine;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/** The benchmark's input image: deterministic, natural-looking enough to exercise the full 0-255 range. */
public final class Images {
    private Images() {}

    /** A uint8 [1, size, size, 3] image: smooth colour gradients plus fixed pseudo-random texture. */
    public static TUint8 deterministic(int size) {
        return TUint8.tensorOf(Shape.of(1, size, size, 3), DataBuffers.of(pixels(size, 0), true, false));
    }

    /** The first image made ahead by {@link #prepare}, so that a cold shot does not compute it. */
    private static volatile byte[] prepared;

    /**
     * Makes image 0 at {@code size} now, outside a timed region: the next {@link #pixels}{@code
     * (size, 0)} copies it instead of computing it.
     */
    public static void prepare(int size) {
        prepared = compute(size, 0);
    }

    /** The pixels of image number {@code index} (accuracy checks use several). */
    public static byte[] pixels(int size, int index) {
        byte[] p = prepared;
        if (index == 0 && p != null && p.length == size * size * 3) {
            return p.clone();
        }
        return compute(size, index);
    }

    private static byte[] compute(int size, int index) {
        byte[] px = new byte[size * size * 3];
        long state = 0x5EED_0000L + index;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                    double wave = Math.sin((x * (c + 1) + y * (3 - c) + index * 17) * Math.PI / size);
                    int v = (int) (128 + 96 * wave + ((state >>> 59) - 16));
                    px[(y * size + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return px;
    }

    public static TUint8 of(int size, int index) {
        return TUint8.tensorOf(Shape.of(1, size, size, 3), DataBuffers.of(pixels(size, index), true, false));
    }
}
