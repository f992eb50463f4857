package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.api.Test;

/** Keras's relu(x, negative_slope, max_value, threshold), restated step by step as Keras writes it. */
class ClippedReluTest {
    private static final float[] X = {-3f, -1f, -0.5f, -0.2f, 0f, 0.05f, 0.2f, 0.3f, 0.6f, 1.4f, 5f, 7f};

    @Test
    void thresholdSlopeAndMax() {
        check(1.4f, 0.2f, 0.2f);
    }

    @Test
    void negativeThresholdWithMaxClipsToZero() {
        check(2f, 0.5f, -0.5f);
    }

    @Test
    void negativeThresholdWithoutMax() {
        check(Float.POSITIVE_INFINITY, 0.1f, -0.5f);
    }

    @Test
    void slopeOnly() {
        check(Float.POSITIVE_INFINITY, 0.5f, 0f);
    }

    @Test
    void maxOnly() {
        check(6f, 0f, 0f);
    }

    private static void check(float maxValue, float slope, float threshold) {
        Activation f = Activation.clippedRelu(maxValue, slope, threshold);
        float[] y = new OneOperator().run(o -> new Unary("relu", o.input(X.length), "y", f), 1, X);
        float[] expected = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            float x = X[i];
            float negativePart = Math.max(threshold - x, 0f);
            float v = x > threshold ? x : 0f;
            if (!Float.isInfinite(maxValue)) {
                v = Math.min(Math.max(v, 0f), maxValue);
            }
            expected[i] = v - slope * negativePart;
        }
        assertArrayEquals(expected, y);
    }
}
