package io.sofie.model.operators;

import static io.sofie.model.operators.GluTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    private static final int[] SHAPE = {3, 4, 5};

    @Test
    void lastAxis() {
        check(new int[] {-1}, false);
    }

    @Test
    void middleAxis() {
        check(new int[] {1}, false);
    }

    @Test
    void logSoftmaxFirstAxis() {
        check(new int[] {0}, true);
    }

    @Test
    void twoAdjacentAxes() {
        check(new int[] {1, 2}, false);
    }

    @Test
    void twoSeparatedAxes() {
        check(new int[] {0, -1}, false);
    }

    @Test
    void allAxes() {
        check(new int[] {2, 0, 1}, true);
    }

    @Test
    void refusesAnAxisNamedTwice() {
        RModel.Builder b = RModel.builder("bad").addInput("x", Shape.of(SHAPE));
        assertThrows(ModelException.class, () -> b.addOperator(new Softmax("s", "x", "y", new int[] {2, -1}, false)));
    }

    private static void check(int[] axes, boolean log) {
        int batch = 2;
        float[] x = OneOperator.random(7, batch * 60, 3f);
        float[] y = new OneOperator().run(o -> new Softmax("s", o.input(SHAPE), "y", axes, log), batch, x);
        boolean[] reduced = new boolean[3];
        for (int a : axes) {
            reduced[a < 0 ? a + 3 : a] = true;
        }
        float[] expected = new float[x.length];
        // For every position, normalise over the positions that agree with it on the kept axes.
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < 60; p++) {
                int[] ip = index(p);
                double max = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < 60; q++) {
                    if (sameSlice(ip, index(q), reduced)) {
                        max = Math.max(max, x[n * 60 + q]);
                    }
                }
                double sum = 0;
                for (int q = 0; q < 60; q++) {
                    if (sameSlice(ip, index(q), reduced)) {
                        sum += Math.exp(x[n * 60 + q] - max);
                    }
                }
                double v = x[n * 60 + p] - max;
                expected[n * 60 + p] = (float) (log ? v - Math.log(sum) : Math.exp(v) / sum);
            }
        }
        assertClose(expected, y);
    }

    private static int[] index(int flat) {
        return new int[] {flat / 20, flat / 5 % 4, flat % 5};
    }

    private static boolean sameSlice(int[] a, int[] b, boolean[] reduced) {
        for (int i = 0; i < 3; i++) {
            if (!reduced[i] && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
