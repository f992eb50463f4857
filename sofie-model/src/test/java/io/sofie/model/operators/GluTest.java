package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.api.Test;

class GluTest {
    @Test
    void lastAxisGatesFirstHalfWithSigmoidOfSecond() {
        int batch = 3;
        int len = 8;
        float[] x = OneOperator.random(1, batch * len, 4f);
        OneOperator m = new OneOperator();
        float[] y = m.run(o -> new Glu("glu", o.input(len), "y", -1), batch, x);
        float[] expected = new float[batch * len / 2];
        for (int n = 0; n < batch; n++) {
            for (int j = 0; j < len / 2; j++) {
                double a = x[n * len + j];
                double b = x[n * len + len / 2 + j];
                expected[n * len / 2 + j] = (float) (a / (1 + Math.exp(-b)));
            }
        }
        assertClose(expected, y);
    }

    @Test
    void middleAxisSplitsBlocksOfTheInnerAxes() {
        int batch = 2;
        int d0 = 3;
        int d1 = 4;
        int d2 = 5;
        float[] x = OneOperator.random(2, batch * d0 * d1 * d2, 3f);
        OneOperator m = new OneOperator();
        float[] y = m.run(o -> new Glu("glu", o.input(d0, d1, d2), "y", 1), batch, x);
        int h = d1 / 2;
        float[] expected = new float[batch * d0 * h * d2];
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < d0; i++) {
                for (int j = 0; j < h; j++) {
                    for (int k = 0; k < d2; k++) {
                        double a = x[((n * d0 + i) * d1 + j) * d2 + k];
                        double b = x[((n * d0 + i) * d1 + j + h) * d2 + k];
                        expected[((n * d0 + i) * h + j) * d2 + k] = (float) (a / (1 + Math.exp(-b)));
                    }
                }
            }
        }
        assertClose(expected, y);
    }

    @Test
    void refusesAnOddAxis() {
        RModel.Builder b = RModel.builder("odd").addInput("x", Shape.of(5));
        assertThrows(ModelException.class, () -> b.addOperator(new Glu("glu", "x", "y", -1)));
    }

    static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
