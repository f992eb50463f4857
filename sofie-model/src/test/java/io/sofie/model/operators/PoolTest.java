package io.sofie.model.operators;

import static io.sofie.model.operators.ConvTest.dims;
import static io.sofie.model.operators.SpatialReference.index;
import static io.sofie.model.operators.SpatialReference.next;
import static io.sofie.model.operators.SpatialReference.product;
import static io.sofie.model.operators.SpatialReference.random;
import static io.sofie.model.operators.SpatialReference.spatialShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MaxPool, AveragePool, GlobalMaxPool and GlobalAveragePool against plain loops, in both layouts. */
class PoolTest {
    @ParameterizedTest(name = "{0} in {1} pool {2} strides {3} {4} channels {5} last {6}")
    @CsvSource({
        "max, 11, 3, 2, same, 3, true",
        "avg, 11, 3, 2, same, 3, false",
        "avg, 10, 2, 2, valid, 2, true",
        "max, 7x9, 3x3, 2x2, same, 4, true",
        "max, 7x9, 2x3, 2x1, valid, 4, false",
        "avg, 7x9, 3x3, 1x1, same, 3, true",
        "avg, 7x9, 3x2, 2x3, same, 3, false",
        "avg, 5x6x7, 2x2x2, 2x2x2, same, 2, true",
        "max, 5x6x7, 3x2x2, 1x2x2, valid, 2, false",
        "avg, 10, 2, 2, valid, 2, false",
        "avg, 8x9, 2x2, 2x2, valid, 3, false",
        "max, 9x8, 3x2, 1x3, valid, 2, false",
    })
    void windowPoolMatchesDefinition(String kind, String inS, String poolS, String stridesS, String padding, int c,
            boolean last) {
        int[] in = dims(inS);
        int[] k = dims(poolS);
        int[] s = dims(stridesS);
        int r = in.length;
        int[] ones = new int[r];
        Arrays.fill(ones, 1);
        boolean same = padding.equals("same");
        int[] out;
        int[] pb;
        if (same) {
            int[][] sp = SpatialReference.same(in, k, s, ones);
            out = sp[0];
            pb = sp[1];
        } else {
            out = SpatialReference.valid(in, k, s, ones);
            pb = new int[r];
        }
        Window window = Window.of(k, s, ones, same ? Window.Padding.SAME : Window.Padding.VALID);
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        boolean max = kind.equals("max");
        ROperator op = max ? new MaxPool("pool", "x", "y", layout, window)
                : new AveragePool("pool", "x", "y", layout, window);
        int batch = 2;
        Random rnd = new Random(Arrays.hashCode(in) + c);
        float[] x = random(rnd, batch * product(in) * c);
        float[] actual = run(op, spatialShape(last, in, c), spatialShape(last, out, c), batch, x);
        int xSize = product(in) * c;
        int ySize = product(out) * c;
        float[] expected = new float[batch * ySize];
        for (int n = 0; n < batch; n++) {
            int[] o = new int[r];
            do {
                for (int ch = 0; ch < c; ch++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    int[] t = new int[r];
                    do {
                        int[] i = new int[r];
                        boolean inside = true;
                        for (int d = 0; d < r; d++) {
                            i[d] = o[d] * s[d] - pb[d] + t[d];
                            inside &= i[d] >= 0 && i[d] < in[d];
                        }
                        if (inside) {
                            float v = x[n * xSize + index(last, in, c, i, ch)];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    } while (next(t, k));
                    expected[n * ySize + index(last, out, c, o, ch)] = (float) (max ? acc : acc / count);
                }
            } while (next(o, out));
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-6, "worst difference " + worst);
    }

    @ParameterizedTest(name = "{0} in {1} channels {2} last {3} keepdims {4}")
    @CsvSource({
        "max, 9, 4, true, false",
        "avg, 9, 4, false, true",
        "max, 5x7, 3, false, false",
        "avg, 5x7, 3, true, true",
        "avg, 3x4x5, 2, true, false",
        "max, 3x4x5, 2, false, true",
        "avg, 13x13, 5, false, false",
        "max, 3, 2, false, false",
        "avg, 40, 3, false, false",
        "max, 16, 2, false, true",
        // Channels-last with several spatial axes: reduced row by row, then over a row's positions.
        "avg, 19x19, 32, true, false",
        "max, 19x19, 32, true, false",
        "max, 4x3x6, 16, true, true",
        "avg, 1x5, 4, true, false",
        "max, 6x1, 3, true, false",
    })
    void globalPoolMatchesDefinition(String kind, String inS, int c, boolean last, boolean keepDims) {
        int[] in = dims(inS);
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        boolean max = kind.equals("max");
        ROperator op = max ? new GlobalMaxPool("gp", "x", "y", layout, keepDims)
                : new GlobalAveragePool("gp", "x", "y", layout, keepDims);
        int[] ones = new int[in.length];
        Arrays.fill(ones, 1);
        int[] outShape = keepDims ? spatialShape(last, ones, c) : new int[] {c};
        int batch = 3;
        Random rnd = new Random(c);
        float[] x = random(rnd, batch * product(in) * c);
        float[] actual = run(op, spatialShape(last, in, c), outShape, batch, x);
        float[] expected = new float[batch * c];
        int xSize = product(in) * c;
        for (int n = 0; n < batch; n++) {
            for (int ch = 0; ch < c; ch++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                int[] p = new int[in.length];
                do {
                    float v = x[n * xSize + index(last, in, c, p, ch)];
                    acc = max ? Math.max(acc, v) : acc + v;
                } while (next(p, in));
                expected[n * c + ch] = (float) (max ? acc : acc / product(in));
            }
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-6, "worst difference " + worst);
    }

    /** Builds a one-operator model, checks its inferred output shape and runs it. */
    static float[] run(ROperator op, int[] inShape, int[] outShape, int batch, float[] x) {
        RModel model = RModel.builder("m").addInput("x", Shape.of(inShape)).addOperator(op).addOutput("y").build();
        assertArrayEquals(outShape, model.shape("y").dims(), "inferred output shape");
        return CompiledModel.compile(JavaEmitter.emit(model, "t", "M")).infer(batch, x)[0];
    }
}
