package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.testing.OneOperator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatTest {
    @Test
    void threeInputsAlongTheMiddleAxis() {
        int batch = 2;
        int[] sizes = {1, 3, 2};
        float[][] x = new float[3][];
        for (int i = 0; i < 3; i++) {
            x[i] = OneOperator.random(10 + i, batch * 4 * sizes[i] * 2, 1f);
        }
        float[] y = new OneOperator().run(o -> new Concat("cat",
                List.of(o.input(4, sizes[0], 2), o.input(4, sizes[1], 2), o.input(4, sizes[2], 2)), "y", 1),
                batch, x);
        int total = 6;
        float[] expected = new float[batch * 4 * total * 2];
        for (int n = 0; n < batch; n++) {
            for (int a = 0; a < 4; a++) {
                int at = 0;
                for (int i = 0; i < 3; i++) {
                    for (int b = 0; b < sizes[i]; b++, at++) {
                        for (int c = 0; c < 2; c++) {
                            expected[((n * 4 + a) * total + at) * 2 + c] = x[i][((n * 4 + a) * sizes[i] + b) * 2 + c];
                        }
                    }
                }
            }
        }
        assertArrayEquals(expected, y);
    }

    @Test
    void lastAxis() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8, 9, 10};
        float[] y = new OneOperator().run(o -> new Concat("cat", List.of(o.input(2), o.input(3)), "y", -1), 2, a, b);
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 3, 4, 8, 9, 10}, y);
    }

    @Test
    void refusesInputsThatDifferOffTheAxis() {
        RModel.Builder b = RModel.builder("bad").addInput("a", Shape.of(2, 3)).addInput("b", Shape.of(3, 3));
        assertThrows(ModelException.class, () -> b.addOperator(new Concat("cat", List.of("a", "b"), "y", -1)));
    }
}
