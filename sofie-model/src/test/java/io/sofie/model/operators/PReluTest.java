package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.api.Test;

class PReluTest {
    private static final int[] SHAPE = {3, 4, 5};

    @Test
    void fullSlope() {
        check(new int[] {3, 4, 5});
    }

    @Test
    void sharedOverLeadingAxes() {
        check(new int[] {1, 1, 5});
    }

    @Test
    void sharedOverLastAxis() {
        check(new int[] {3, 4, 1});
    }

    @Test
    void sharedOverMiddleAxis() {
        check(new int[] {3, 1, 5});
    }

    @Test
    void oneSlopeForAll() {
        check(new int[] {1, 1, 1});
    }

    @Test
    void refusesASlopeThatDoesNotBroadcast() {
        RModel.Builder b = RModel.builder("bad").addInput("x", Shape.of(SHAPE))
                .addWeight("a", Shape.of(3, 2, 5), new float[30]);
        assertThrows(ModelException.class, () -> b.addOperator(new PRelu("p", "x", "y", "a")));
    }

    private static void check(int[] slopeDims) {
        int batch = 2;
        Shape slopeShape = Shape.of(slopeDims);
        float[] slope = OneOperator.random(5, slopeShape.size(), 1f);
        float[] x = OneOperator.random(6, batch * Shape.of(SHAPE).size(), 2f);
        float[] y = new OneOperator().run(o -> new PRelu("p", o.input(SHAPE), "y", o.weight("a", slopeShape, slope)),
                batch, x);
        float[] expected = new float[x.length];
        int i = 0;
        for (int n = 0; n < batch; n++) {
            for (int a = 0; a < SHAPE[0]; a++) {
                for (int b = 0; b < SHAPE[1]; b++) {
                    for (int c = 0; c < SHAPE[2]; c++, i++) {
                        int sa = slopeDims[0] == 1 ? 0 : a;
                        int sb = slopeDims[1] == 1 ? 0 : b;
                        int sc = slopeDims[2] == 1 ? 0 : c;
                        float s = slope[(sa * slopeDims[1] + sb) * slopeDims[2] + sc];
                        expected[i] = x[i] > 0 ? x[i] : s * x[i];
                    }
                }
            }
        }
        assertArrayEquals(expected, y);
    }
}
