package io.sofie.model.operators;

import static io.sofie.model.operators.OperatorRun.assertExact;
import static io.sofie.model.operators.OperatorRun.flat;
import static io.sofie.model.operators.OperatorRun.random;
import static io.sofie.model.operators.OperatorRun.run;
import static io.sofie.model.operators.OperatorRun.unflat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reshape, Transpose, Tile and Concat against plain index arithmetic. */
class ReshapingOperatorsTest {
    private final Random rnd = new Random(7);

    @Test
    void reshapeAliasesAndKeepsOrder() {
        RModel m = RModel.builder("r").addInput("x", Shape.of(2, 6))
                .addOperator(new Reshape("r", "x", "y", Shape.of(3, 4)))
                .addOperator(new Unary("neg", "y", "z", Activation.of(Activation.Kind.RELU)))
                .addOutput("z").build();
        assertEquals(Shape.of(3, 4), m.shape("y"));
        float[] x = random(rnd, 3 * 12);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Math.max(0f, x[i]);
        }
        assertExact(expected, run(m, 3, x)[0]);
    }

    @Test
    void reshapeRefusesOtherSizes() {
        RModel.Builder b = RModel.builder("r").addInput("x", Shape.of(2, 6));
        assertThrows(ModelException.class, () -> b.addOperator(new Reshape("r", "x", "y", Shape.of(5))));
    }

    @Test
    void transposeMatchesIndexArithmetic() {
        checkTranspose(Shape.of(2, 3, 4), new int[] {2, 0, 1});
        checkTranspose(Shape.of(2, 3, 4, 5), new int[] {1, 0, 2, 3});
        checkTranspose(Shape.of(4, 6), new int[] {1, 0});
        checkTranspose(Shape.of(3, 5), new int[] {0, 1});
    }

    private void checkTranspose(Shape in, int[] perm) {
        RModel m = RModel.builder("t").addInput("x", in)
                .addOperator(new Transpose("t", "x", "y", perm)).addOutput("y").build();
        Shape out = m.shape("y");
        int batch = 2;
        float[] x = random(rnd, batch * in.size());
        float[] expected = new float[x.length];
        for (int s = 0; s < batch; s++) {
            for (int f = 0; f < out.size(); f++) {
                int[] o = unflat(out, f);
                int[] i = new int[o.length];
                for (int d = 0; d < o.length; d++) {
                    i[perm[d]] = o[d];
                }
                expected[s * out.size() + f] = x[s * in.size() + flat(in, i)];
            }
        }
        assertExact(expected, run(m, batch, x)[0]);
    }

    @Test
    void tileRepeatsEveryAxis() {
        checkTile(Shape.of(1, 5), new int[] {3, 1});
        checkTile(Shape.of(2, 3), new int[] {2, 3});
        checkTile(Shape.of(2, 1, 3), new int[] {1, 4, 2});
    }

    private void checkTile(Shape in, int[] repeats) {
        RModel m = RModel.builder("t").addInput("x", in)
                .addOperator(new Tile("t", "x", "y", repeats)).addOutput("y").build();
        Shape out = m.shape("y");
        for (int d = 0; d < in.rank(); d++) {
            assertEquals(in.dim(d) * repeats[d], out.dim(d));
        }
        int batch = 3;
        float[] x = random(rnd, batch * in.size());
        float[] expected = new float[batch * out.size()];
        for (int s = 0; s < batch; s++) {
            for (int f = 0; f < out.size(); f++) {
                int[] o = unflat(out, f);
                for (int d = 0; d < o.length; d++) {
                    o[d] %= in.dim(d);
                }
                expected[s * out.size() + f] = x[s * in.size() + flat(in, o)];
            }
        }
        assertExact(expected, run(m, batch, x)[0]);
    }

    @Test
    void concatOnEveryAxisWithManyInputs() {
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            checkConcat(axis, Shape.of(2, 3, 4));
        }
        checkConcat(0, Shape.of(5));
    }

    private void checkConcat(int axis, Shape base) {
        int a = base.axis(axis);
        Shape[] shapes = {base.withDim(a, 1), base, base.withDim(a, 2)};
        RModel.Builder b = RModel.builder("c");
        for (int i = 0; i < shapes.length; i++) {
            b.addInput("x" + i, shapes[i]);
        }
        // The same tensor twice, as Keras models do (concatenate([t, t])).
        RModel m = b.addOperator(new Concat("c", List.of("x0", "x1", "x2", "x1"), "y", axis)).addOutput("y").build();
        Shape out = m.shape("y");
        assertEquals(base.dim(a) * 2 + 3, out.dim(a));
        int batch = 2;
        float[][] xs = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            xs[i] = random(rnd, batch * shapes[i].size());
        }
        int[] order = {0, 1, 2, 1};
        float[] expected = new float[batch * out.size()];
        for (int s = 0; s < batch; s++) {
            for (int f = 0; f < out.size(); f++) {
                int[] o = unflat(out, f);
                int pos = o[a];
                int which = 0;
                while (pos >= shapes[order[which]].dim(a)) {
                    pos -= shapes[order[which]].dim(a);
                    which++;
                }
                Shape src = shapes[order[which]];
                o[a] = pos;
                expected[s * out.size() + f] = xs[order[which]][s * src.size() + flat(src, o)];
            }
        }
        assertExact(expected, run(m, batch, xs)[0]);
    }
}
