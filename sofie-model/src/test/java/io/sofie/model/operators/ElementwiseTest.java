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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Variadic elementwise operators, same-shape and broadcast, against plain loops combining left to right. */
class ElementwiseTest {
    private final Random rnd = new Random(11);

    @Test
    void sameShapesEveryKind() {
        for (Elementwise.Kind kind : Elementwise.Kind.values()) {
            int inputs = kind == Elementwise.Kind.SUB ? 2 : 3;
            Shape[] shapes = new Shape[inputs];
            Arrays.fill(shapes, Shape.of(4, 3));
            check(kind, shapes);
        }
    }

    @Test
    void broadcastsLikeNumpy() {
        check(Elementwise.Kind.ADD, Shape.of(4, 3), Shape.of(3));
        check(Elementwise.Kind.MUL, Shape.of(4, 1), Shape.of(1, 3), Shape.of(4, 3));
        check(Elementwise.Kind.SUB, Shape.of(2, 1, 5), Shape.of(3, 1));
        check(Elementwise.Kind.MAX, Shape.of(2, 3, 4), Shape.of(2, 1, 4), Shape.of(4));
        check(Elementwise.Kind.MEAN, Shape.of(1), Shape.of(6, 2));
        check(Elementwise.Kind.MIN, Shape.of(5, 1, 1), Shape.of(5, 2, 3));
    }

    @Test
    void refusesIncompatibleShapes() {
        RModel.Builder b = RModel.builder("e").addInput("a", Shape.of(4, 3)).addInput("b", Shape.of(2));
        assertThrows(ModelException.class,
                () -> b.addOperator(new Elementwise("e", Elementwise.Kind.ADD, List.of("a", "b"), "y")));
        RModel.Builder c = RModel.builder("e").addInput("a", Shape.of(4)).addInput("b", Shape.of(4))
                .addInput("c", Shape.of(4));
        assertThrows(ModelException.class,
                () -> c.addOperator(new Elementwise("e", Elementwise.Kind.SUB, List.of("a", "b", "c"), "y")));
    }

    private void check(Elementwise.Kind kind, Shape... shapes) {
        RModel.Builder b = RModel.builder("e");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            b.addInput("x" + i, shapes[i]);
            names.add("x" + i);
        }
        RModel m = b.addOperator(new Elementwise("e", kind, names, "y")).addOutput("y").build();
        Shape out = m.shape("y");
        int batch = 3;
        float[][] xs = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            xs[i] = random(rnd, batch * shapes[i].size());
        }
        float[] expected = new float[batch * out.size()];
        for (int s = 0; s < batch; s++) {
            for (int f = 0; f < out.size(); f++) {
                int[] o = unflat(out, f);
                float acc = 0;
                for (int i = 0; i < shapes.length; i++) {
                    Shape sh = shapes[i];
                    int[] idx = new int[sh.rank()];
                    for (int d = 0; d < sh.rank(); d++) {
                        int od = o[out.rank() - sh.rank() + d];
                        idx[d] = sh.dim(d) == 1 ? 0 : od;
                    }
                    float v = xs[i][s * sh.size() + flat(sh, idx)];
                    acc = i == 0 ? v : apply(kind, acc, v);
                }
                expected[s * out.size() + f] = kind == Elementwise.Kind.MEAN ? acc / shapes.length : acc;
            }
        }
        float[] actual = run(m, batch, xs)[0];
        assertEquals(expected.length, actual.length);
        assertExact(expected, actual);
    }

    private static float apply(Elementwise.Kind kind, float a, float b) {
        switch (kind) {
            case ADD:
            case MEAN:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case MAX:
                return Math.max(a, b);
            case MIN:
                return Math.min(a, b);
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }
}
