package io.sofie.model.operators;

import static io.sofie.model.operators.GluTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sofie.model.testing.OneOperator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Against a plain re-statement of Keras 3.11's sparsemax (sum of the running sums over the support). */
class SparsemaxTest {
    @Test
    void lastAxisMatchesKerasFormula() {
        int batch = 4;
        int len = 7;
        float[] x = OneOperator.random(3, batch * len, 1.5f);
        float[] y = new OneOperator().run(o -> new Sparsemax("sm", o.input(len), "y", -1), batch, x);
        assertClose(reference(x, batch, len, 1), y);
    }

    @Test
    void firstAxisOfThreeMatchesKerasFormula() {
        int batch = 2;
        int d0 = 6;
        int inner = 3 * 2;
        float[] x = OneOperator.random(4, batch * d0 * inner, 1f);
        float[] y = new OneOperator().run(o -> new Sparsemax("sm", o.input(d0, 3, 2), "y", 0), batch, x);
        assertClose(reference(x, batch, d0, inner), y);
    }

    @Test
    void keepsKerasThresholdRatherThanTheSimplexProjection() {
        // Keras issue 23425's example: Keras 3.11 gives [0, 0, 0.25], the textbook projection [0, 0.25, 0.75].
        float[] y = new OneOperator().run(o -> new Sparsemax("sm", o.input(3), "y", -1), 1, new float[] {0f, 0.5f, 1f});
        assertArrayEquals(new float[] {0f, 0f, 0.25f}, y);
    }

    /** Straightforward statement of the Keras computation, for each line along the axis. */
    private static float[] reference(float[] x, int batch, int len, int inner) {
        float[] y = new float[x.length];
        int outer = x.length / (len * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float[] line = new float[len];
                for (int j = 0; j < len; j++) {
                    line[j] = x[(o * len + j) * inner + i];
                }
                float[] z = line.clone();
                Arrays.sort(z);
                float[] desc = new float[len];
                for (int r = 0; r < len; r++) {
                    desc[r] = z[len - 1 - r];
                }
                float[] cumsum = new float[len];
                double acc = 0;
                for (int r = 0; r < len; r++) {
                    acc += desc[r];
                    cumsum[r] = (float) acc;
                }
                int k = 0;
                float sum = 0f;
                for (int r = 0; r < len; r++) {
                    if (desc[r] - (cumsum[r] - 1f) / (r + 1) > 0f) {
                        k++;
                        sum += cumsum[r];
                    }
                }
                float tau = (sum - 1f) / k;
                for (int j = 0; j < len; j++) {
                    y[(o * len + j) * inner + i] = Math.max(line[j] - tau, 0f);
                }
            }
        }
        return y;
    }
}
