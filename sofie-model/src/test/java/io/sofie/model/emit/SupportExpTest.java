package io.sofie.model.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Unary;
import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code exp} (SupportMethod.EXP) stands in for Math.exp in softmax, sigmoid, swish, tanh and friends;
 * as floats it must give exactly what {@code (float) Math.exp} gives, over the whole range a float exp can take and
 * at the edges.
 */
class SupportExpTest {
    @Test
    void equalsMathExpAsFloatAcrossTheRange() {
        int n = 200_001;
        float[] x = new float[n + 9];
        for (int i = 0; i < n; i++) {
            x[i] = -110f + 200f * i / (n - 1); // -110 .. 90: from flushed to zero to overflowing a float
        }
        float[] edges = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
            -Float.MAX_VALUE, 88.72283f, -103.97208f};
        System.arraycopy(edges, 0, x, n, edges.length);
        float[] y = new OneOperator().run(o -> new Unary("e", o.input(x.length), "y",
                Activation.of(Activation.Kind.EXP)), 1, x);
        for (int i = 0; i < x.length; i++) {
            float in = x[i];
            float got = y[i];
            float expected = (float) Math.exp(in);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got),
                    () -> "exp(" + in + "): expected " + expected + ", generated code gave " + got);
        }
    }
}
