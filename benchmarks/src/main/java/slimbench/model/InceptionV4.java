package slimbench.model;

/** Being written: see the inception branch. */
final class InceptionV4 {
    private InceptionV4() {}

    static Net.T build(Net net, Net.T x, int classes) {
        throw new UnsupportedOperationException("InceptionV4 is not written yet");
    }
}
