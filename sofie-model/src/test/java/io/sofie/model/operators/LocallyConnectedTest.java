package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.ModelException;
import io.sofie.model.Shape;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.OneOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LocallyConnected against a plain transcription of Keras 2's {@code local_conv}: slice each output position's
 * patch, flatten it in Keras's order, multiply by that position's own kernel, then add the bias in output memory
 * order ({@code bias_add} reshapes a (P..., F) bias, it does not transpose it).
 */
class LocallyConnectedTest {
    @ParameterizedTest(name = "{0}D {1}, in {2}x{3} c{4}, kernel {5}x{6}, strides {7}x{8}, filters {9}")
    @CsvSource({
        "2, CHANNELS_LAST, 5, 6, 3, 3, 2, 1, 2, 4",
        "2, CHANNELS_FIRST, 5, 6, 3, 3, 2, 2, 1, 4",
        "1, CHANNELS_LAST, 9, 1, 2, 3, 1, 2, 1, 5",
        "1, CHANNELS_FIRST, 9, 1, 2, 3, 1, 1, 1, 5",
    })
    void matchesKerasLocalConv(int rank, Layout layout, int h, int w, int c, int kh, int kw, int sh, int sw,
            int filters) {
        int[] in = rank == 1 ? new int[] {h} : new int[] {h, w};
        int[] kernel = rank == 1 ? new int[] {kh} : new int[] {kh, kw};
        int[] strides = rank == 1 ? new int[] {sh} : new int[] {sh, sw};
        int oh = (h - kh) / sh + 1;
        int ow = rank == 1 ? 1 : (w - kw) / sw + 1;
        int kwEff = rank == 1 ? 1 : kw;
        int wEff = rank == 1 ? 1 : w;
        int positions = oh * ow;
        int patch = kh * kwEff * c;
        int batch = 3;
        float[] k = OneOperator.random(1, positions * patch * filters, 0.5f);
        float[] bias = OneOperator.random(2, positions * filters, 0.5f);
        Shape xShape = layout.shape(in, c);
        float[] x = OneOperator.random(3, batch * xShape.size(), 1f);

        OneOperator one = new OneOperator();
        String input = one.input(xShape.dims());
        one.weight("k", Shape.of(positions, patch, filters), k);
        one.weight("b", rank == 1 ? Shape.of(oh, filters) : Shape.of(oh, ow, filters), bias);
        CompiledModel m = one.compile(new LocallyConnected("lc", input, "y", layout, kernel, strides, "k", "b",
                Activation.of(Activation.Kind.TANH)));
        float[] actual = m.infer(batch, x)[0];

        int outSize = positions * filters;
        float[] expected = new float[batch * outSize];
        for (int s = 0; s < batch; s++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int p = r * ow + q;
                    float[] flat = new float[patch];
                    int e = 0;
                    if (layout == Layout.CHANNELS_LAST) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kwEff; j++) {
                                for (int ci = 0; ci < c; ci++) {
                                    flat[e++] = x[s * xShape.size() + ((r * sh + i) * wEff + q * sw + j) * c + ci];
                                }
                            }
                        }
                    } else {
                        for (int ci = 0; ci < c; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kwEff; j++) {
                                    flat[e++] = x[s * xShape.size() + ci * h * wEff + (r * sh + i) * wEff + q * sw + j];
                                }
                            }
                        }
                    }
                    for (int f = 0; f < filters; f++) {
                        double acc = 0;
                        for (int i = 0; i < patch; i++) {
                            acc += (double) flat[i] * k[(p * patch + i) * filters + f];
                        }
                        int at = layout == Layout.CHANNELS_LAST ? p * filters + f : f * positions + p;
                        expected[s * outSize + at] = (float) Math.tanh(acc + bias[at]);
                    }
                }
            }
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    @ParameterizedTest(name = "kernel of {0} positions is refused")
    @CsvSource({"5", "7"})
    void refusesAKernelForOtherPositions(int positions) {
        OneOperator one = new OneOperator();
        String input = one.input(6, 2);
        one.weight("k", Shape.of(positions, 6, 2), new float[positions * 12]);
        assertThrows(ModelException.class, () -> one.compile(new LocallyConnected("lc", input, "y",
                Layout.CHANNELS_LAST, new int[] {3}, new int[] {1}, "k", null, Activation.IDENTITY)));
    }
}
