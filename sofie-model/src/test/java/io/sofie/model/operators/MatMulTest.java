package io.sofie.model.operators;

import static io.sofie.model.operators.OperatorRun.assertClose;
import static io.sofie.model.operators.OperatorRun.random;
import static io.sofie.model.operators.OperatorRun.run;
import static io.sofie.model.operators.OperatorRun.unflat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-sample contraction behind Keras Dot, with and without L2 normalisation, against plain loops. */
class MatMulTest {
    private final Random rnd = new Random(3);

    @Test
    void vectorsGiveOneValue() {
        assertEquals(Shape.of(1), check(Shape.of(6), Shape.of(6), 0, 0, false));
        check(Shape.of(6), Shape.of(6), -1, -1, true);
    }

    @Test
    void matricesOnEveryAxisPair() {
        assertEquals(Shape.of(4, 3), check(Shape.of(5, 4), Shape.of(5, 3), 0, 0, false));
        assertEquals(Shape.of(5, 6), check(Shape.of(5, 4), Shape.of(6, 4), 1, 1, true));
        assertEquals(Shape.of(5, 6), check(Shape.of(5, 4), Shape.of(6, 4), 1, 1, false));
        assertEquals(Shape.of(5, 3), check(Shape.of(5, 4), Shape.of(4, 3), 1, 0, false));
        assertEquals(Shape.of(4, 6), check(Shape.of(5, 4), Shape.of(6, 5), 0, 1, true));
        assertEquals(Shape.of(3), check(Shape.of(4), Shape.of(4, 3), 0, 0, false));
        assertEquals(Shape.of(2, 3, 5), check(Shape.of(2, 4, 3), Shape.of(5, 4), 1, 1, true));
    }

    @Test
    void refusesDifferentLengths() {
        RModel.Builder b = RModel.builder("d").addInput("a", Shape.of(5, 4)).addInput("b", Shape.of(3, 4));
        assertThrows(ModelException.class, () -> b.addOperator(new MatMul("d", "a", "b", "y", 0, 0, false, 0)));
    }

    private Shape check(Shape sa, Shape sb, int axisA, int axisB, boolean normalize) {
        RModel m = RModel.builder("d").addInput("a", sa).addInput("b", sb)
                .addOperator(new MatMul("d", "a", "b", "y", axisA, axisB, normalize, 1e7)).addOutput("y").build();
        Shape out = m.shape("y");
        int ka = sa.axis(axisA);
        int kb = sb.axis(axisB);
        int k = sa.dim(ka);
        int batch = 3;
        float[] a = random(rnd, batch * sa.size());
        float[] b = random(rnd, batch * sb.size());
        if (normalize) {
            // One all-zero vector: the cap on 1/norm keeps it zero instead of NaN.
            for (int t = 0; t < k; t++) {
                a[t * sa.size(ka + 1, sa.rank())] = 0;
            }
        }
        float[] expected = new float[batch * out.size()];
        int restA = sa.rank() - 1;
        for (int s = 0; s < batch; s++) {
            for (int f = 0; f < out.size(); f++) {
                int[] o = sa.rank() + sb.rank() - 2 == 0 ? new int[0] : unflat(out, f);
                double sum = 0;
                double na = 0;
                double nb = 0;
                for (int t = 0; t < k; t++) {
                    double va = a[s * sa.size() + index(sa, ka, o, 0, t)];
                    double vb = b[s * sb.size() + index(sb, kb, o, restA, t)];
                    sum += va * vb;
                    na += va * va;
                    nb += vb * vb;
                }
                if (normalize) {
                    sum *= Math.min(1 / Math.sqrt(na), 1e7) * Math.min(1 / Math.sqrt(nb), 1e7);
                }
                expected[s * out.size() + f] = (float) sum;
            }
        }
        assertClose(expected, run(m, batch, a, b)[0], 1e-5);
        return out;
    }

    /** Flat index in {@code s} of the element whose other axes come from {@code o[from..]} and axis k is t. */
    private static int index(Shape s, int k, int[] o, int from, int t) {
        int f = 0;
        int j = from;
        for (int d = 0; d < s.rank(); d++) {
            f = f * s.dim(d) + (d == k ? t : o[j++]);
        }
        return f;
    }
}
