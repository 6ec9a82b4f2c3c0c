package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tolerance of every numeric comparison follows from the formats, the depth and the reduction length. */
class ErrorBoundTest {
    @Test
    void unitRoundoffIsHalfAnUlpOfEachFormat() {
        assertEquals(Math.pow(2, -24), ErrorBound.unitRoundoff(Precision.FP32));
        assertEquals(Math.pow(2, -11), ErrorBound.unitRoundoff(Precision.FP16));
        assertEquals(Math.pow(2, -8), ErrorBound.unitRoundoff(Precision.BF16));
    }

    @Test
    void boundGrowsWithTheSquareRootOfDepthAndIsFourSigmaTwiceForTheSoftmax() {
        ErrorBound one = new ErrorBound(1, 1);
        double u = Math.pow(2, -8);
        double acc = Math.pow(2, -24) * Math.sqrt(1 / 3.0);
        assertEquals(2 * 4 * Math.sqrt(u * u + acc * acc), one.probability(Precision.BF16), 1e-15);
        assertEquals(2 * one.probability(Precision.BF16), new ErrorBound(4, 1).probability(Precision.BF16), 1e-15);
        assertEquals(one.probability(Precision.FP16) + one.probability(Precision.FP32),
                one.between(Precision.FP16, Precision.FP32));
    }

    @Test
    void aLongFloatReductionCountsWhereTheFormatsRoundingDoesNot() {
        // float: sqrt(1 + n/3) u; at n = 3 * 10^6 the sum's rounding is ~1000 u
        double shortSum = new ErrorBound(1, 1).probability(Precision.FP32);
        double longSum = new ErrorBound(1, 3_000_000).probability(Precision.FP32);
        assertEquals(Math.sqrt(1 + 1_000_000) / Math.sqrt(1 + 1 / 3.0), longSum / shortSum, 1e-6);
        // bfloat16: its own 2^-8 dwarfs a float sum's rounding even at VGG fc6's n = 25088
        double bf = new ErrorBound(1, 25_088).probability(Precision.BF16) / new ErrorBound(1, 1).probability(Precision.BF16);
        assertEquals(1.0, bf, 1e-6);
    }

    @Test
    void depthIsTheLongestChainOfWeightedLayers() {
        // vgg_16: 13 convolutions and 3 fully connected layers (fc6, fc7, fc8 as convolutions), one chain
        assertEquals(16, ErrorBound.of(Model.VGG_16, Scale.TINY).depth());
        // mobilenet_v1: the first conv, then 13 depthwise + pointwise pairs, then the logits
        assertEquals(1 + 2 * 13 + 1, ErrorBound.of(Model.MOBILENET_V1, Scale.TINY).depth());
        // resnet_v1_50: the root conv, three per bottleneck unit (16 units), the logits; shortcuts are shorter
        assertEquals(1 + 3 * 16 + 1, ErrorBound.of(Model.RESNET_V1_50, Scale.TINY).depth());
    }

    @Test
    void reductionIsTheLongestFanInAtTheScaleAsked() {
        // vgg_16 at full size: fc6 sums 7 * 7 * 512 inputs
        assertEquals(7 * 7 * 512, ErrorBound.of(Model.VGG_16, Scale.FULL).reduction());
        assertTrue(ErrorBound.of(Model.VGG_16, Scale.TINY).reduction() < 7 * 7 * 512);
    }

    @Test
    void aBoundNeedsAPositiveDepthAndReduction() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorBound(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ErrorBound(1, 0));
    }
}
