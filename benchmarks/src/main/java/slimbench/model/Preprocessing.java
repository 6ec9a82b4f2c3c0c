package slimbench.model;

/** The two preprocessing schemes of slim's preprocessing_factory, done inside the graph. */
public enum Preprocessing {
    /** RGB to [-1, 1]. */
    INCEPTION(1f),
    /** RGB minus the ImageNet channel means, no scaling. */
    VGG(1f / 64f);

    private final float inputGain;

    Preprocessing(float inputGain) {
        this.inputGain = inputGain;
    }

    /** How much the first layer's weights shrink so that its output has the scale of inception's. */
    float inputGain() {
        return inputGain;
    }
}
