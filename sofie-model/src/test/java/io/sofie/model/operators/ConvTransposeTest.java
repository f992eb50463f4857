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
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The emitted ConvTranspose against the scatter definition in plain loops: input cell i adds x[i] W[k]^T at grid
 * position i * s + k * d; the output is the grid from the crop on, zero past its end.
 */
class ConvTransposeTest {
    @ParameterizedTest(name = "in {0} k {1} s {2} d {3} {4} outpad {5} last {6}")
    @CsvSource({
        "7, 3, 2, 1, valid, -, true",
        "7, 2, 3, 1, valid, -, false",
        "7, 4, 2, 1, same, -, true",
        "7, 3, 2, 1, same, 1, true",
        "7, 3, 2, 2, valid, 1, false",
        "5x6, 3x3, 2x2, 1x1, same, -, false",
        "5x6, 4x5, 2x3, 1x1, same, -, true",
        "5x6, 2x3, 1x2, 1x1, valid, 0x1, true",
        "3x4x2, 3x2x3, 1x2x1, 1x1x1, valid, -, true",
        "3x4x2, 2x4x2, 2x2x2, 1x1x1, same, -, false",
    })
    void matchesScatterDefinition(String inS, String kS, String sS, String dS, String padding, String outPadS,
            boolean last) {
        int[] in = dims(inS);
        int[] k = dims(kS);
        int[] s = dims(sS);
        int[] dil = dims(dS);
        int[] outPad = outPadS.equals("-") ? null : dims(outPadS);
        boolean same = padding.equals("same");
        int r = in.length;
        int[] out = new int[r];
        int[] crop = new int[r];
        for (int d = 0; d < r; d++) {
            int keff = (k[d] - 1) * dil[d] + 1;
            if (outPad == null) {
                out[d] = same ? in[d] * s[d] : in[d] * s[d] + Math.max(keff - s[d], 0);
            } else {
                out[d] = (in[d] - 1) * s[d] + keff - 2 * (same ? keff / 2 : 0) + outPad[d];
            }
            crop[d] = same ? Math.max((in[d] - 1) * s[d] + keff - out[d], 0) / 2 : 0;
        }
        int cin = 3;
        int cout = 2;
        Random rnd = new Random(Arrays.hashCode(k));
        int[] kShape = Arrays.copyOf(k, r + 2);
        kShape[r] = cout;
        kShape[r + 1] = cin;
        float[] w = random(rnd, product(kShape));
        float[] bias = random(rnd, cout);
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        RModel model = RModel.builder("deconv")
                .addInput("x", Shape.of(spatialShape(last, in, cin)))
                .addWeight("w", Shape.of(kShape), w)
                .addWeight("b", Shape.of(cout), bias)
                .addOperator(new ConvTranspose("deconv", "x", "y", layout,
                        Window.of(k, s, dil, same ? Window.Padding.SAME : Window.Padding.VALID), outPad, "w", "b",
                        Activation.of(Activation.Kind.RELU)))
                .addOutput("y")
                .build();
        assertArrayEquals(spatialShape(last, out, cout), model.shape("y").dims());
        int batch = 2;
        int xSize = product(in) * cin;
        int ySize = product(out) * cout;
        float[] x = random(rnd, batch * xSize);
        float[] actual = CompiledModel.compile(JavaEmitter.emit(model, "t", "Deconv")).infer(batch, x)[0];
        double[] acc = new double[batch * ySize];
        for (int n = 0; n < batch; n++) {
            int[] o = new int[r];
            do {
                for (int co = 0; co < cout; co++) {
                    acc[n * ySize + index(last, out, cout, o, co)] = bias[co];
                }
            } while (next(o, out));
            int[] i = new int[r];
            do {
                int[] t = new int[r];
                do {
                    int[] pos = new int[r];
                    boolean inside = true;
                    for (int d = 0; d < r; d++) {
                        pos[d] = i[d] * s[d] + t[d] * dil[d] - crop[d];
                        inside &= pos[d] >= 0 && pos[d] < out[d];
                    }
                    if (!inside) {
                        continue;
                    }
                    int tap = 0;
                    for (int d = 0; d < r; d++) {
                        tap = tap * k[d] + t[d];
                    }
                    for (int co = 0; co < cout; co++) {
                        for (int ci = 0; ci < cin; ci++) {
                            acc[n * ySize + index(last, out, cout, pos, co)] +=
                                    (double) x[n * xSize + index(last, in, cin, i, ci)]
                                            * w[(tap * cout + co) * cin + ci];
                        }
                    }
                } while (next(t, k));
            } while (next(i, in));
        }
        float[] expected = new float[acc.length];
        for (int j = 0; j < acc.length; j++) {
            expected[j] = (float) Math.max(0, acc[j]);
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }
}
