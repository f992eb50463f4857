package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted ConvLSTM against the cell equations written with a plain convolution over padded coordinates. */
class ConvLSTMTest {
    @ParameterizedTest(name = "spatial {0} kernel {1} stride {2} dilation {3} same {4} seq {5} back {6} bias {7} "
            + "channels first {8}")
    @CsvSource({
        "'10', '3', '1', '1', true, true, false, true, false",
        "'10', '2', '2', '1', false, false, false, true, false",
        "'9', '3', '2', '1', true, true, true, false, false",
        "'11', '3', '1', '2', true, false, true, true, false",
        "'6x7', '3x3', '1x1', '1x1', false, true, false, true, false",
        "'4x5', '3x2', '1x1', '1x1', true, false, false, true, false",
        "'5x6', '2x3', '2x2', '1x1', true, true, true, true, false",
        "'3x4x3', '2x2x2', '1x1x1', '1x1x1', true, false, false, true, false",
        "'6x7', '3x3', '1x1', '1x1', false, true, false, true, true",
        "'10', '2', '2', '1', true, false, true, true, true",
    })
    void matchesCellEquations(String spatialSpec, String kernelSpec, String strideSpec, String dilationSpec,
            boolean same, boolean sequences, boolean backwards, boolean withBias, boolean channelsFirst) {
        int[] sp = dims(spatialSpec);
        int[] ks = dims(kernelSpec);
        int[] st = dims(strideSpec);
        int[] dl = dims(dilationSpec);
        int r = sp.length;
        int steps = 3;
        int ch = 2;
        int f = 3;
        int[] out = new int[r];
        int[] pad = new int[r];
        int positions = 1;
        int inPositions = 1;
        for (int d = 0; d < r; d++) {
            int span = (ks[d] - 1) * dl[d] + 1;
            out[d] = same ? (sp[d] + st[d] - 1) / st[d] : (sp[d] - span) / st[d] + 1;
            pad[d] = same ? Math.max(0, (out[d] - 1) * st[d] + span - sp[d]) / 2 : 0;
            positions *= out[d];
            inPositions *= sp[d];
        }
        int taps = 1;
        for (int k : ks) {
            taps *= k;
        }
        Random rnd = new Random(positions * 31L + taps);
        float[] w = GemmTest.uniform(rnd, taps * ch * 4 * f);
        float[] u = GemmTest.uniform(rnd, taps * f * 4 * f);
        float[] b = GemmTest.uniform(rnd, 4 * f);
        int[] xDims = new int[r + 2];
        xDims[0] = steps;
        System.arraycopy(sp, 0, xDims, channelsFirst ? 2 : 1, r);
        xDims[channelsFirst ? 1 : r + 1] = ch;
        int[] kDims = new int[r + 2];
        System.arraycopy(ks, 0, kDims, 0, r);
        kDims[r] = ch;
        kDims[r + 1] = 4 * f;
        int[] uDims = kDims.clone();
        uDims[r] = f;
        RModel.Builder mb = RModel.builder("cl").addInput("x", Shape.of(xDims))
                .addWeight("w", Shape.of(kDims), w).addWeight("u", Shape.of(uDims), u);
        if (withBias) {
            mb.addWeight("b", Shape.of(4 * f), b);
        }
        RModel model = mb.addOperator(new ConvLSTM("cl", "x", "y", "w", "u", withBias ? "b" : null, st, dl, same,
                        Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SIGMOID), sequences,
                        backwards, channelsFirst))
                .addOutput("y").build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "ConvLstmModel"));
        int batch = 2;
        float[] x = GemmTest.uniform(rnd, batch * steps * inPositions * ch);
        // x is channels last for the reference below; the model reads it channels first when asked.
        float[] actual = compiled.infer(batch, channelsFirst ? swapLastAxes(x, batch * steps, inPositions, ch) : x)[0];

        int state = positions * f;
        float[] expected = new float[batch * (sequences ? steps : 1) * state];
        int[] recPad = new int[r];
        for (int d = 0; d < r; d++) {
            recPad[d] = (ks[d] - 1) / 2;
        }
        for (int s = 0; s < batch; s++) {
            double[] h = new double[state];
            double[] c = new double[state];
            for (int step = 0; step < steps; step++) {
                int t = backwards ? steps - 1 - step : step;
                double[] z = new double[positions * 4 * f];
                for (int p = 0; p < positions; p++) {
                    int[] pc = unflatten(p, out);
                    for (int tap = 0; tap < taps; tap++) {
                        int[] kc = unflatten(tap, ks);
                        int[] xc = new int[r];
                        int[] hc = new int[r];
                        boolean xIn = true;
                        boolean hIn = true;
                        for (int d = 0; d < r; d++) {
                            xc[d] = pc[d] * st[d] - pad[d] + kc[d] * dl[d];
                            hc[d] = pc[d] - recPad[d] + kc[d];
                            xIn &= xc[d] >= 0 && xc[d] < sp[d];
                            hIn &= hc[d] >= 0 && hc[d] < out[d];
                        }
                        for (int j = 0; j < 4 * f; j++) {
                            double acc = 0;
                            if (xIn) {
                                int xo = ((s * steps + t) * inPositions + flatten(xc, sp)) * ch;
                                for (int i = 0; i < ch; i++) {
                                    acc += x[xo + i] * w[(tap * ch + i) * 4 * f + j];
                                }
                            }
                            if (hIn) {
                                int ho = flatten(hc, out) * f;
                                for (int i = 0; i < f; i++) {
                                    acc += h[ho + i] * u[(tap * f + i) * 4 * f + j];
                                }
                            }
                            z[p * 4 * f + j] += acc;
                        }
                    }
                }
                double[] hn = new double[state];
                for (int p = 0; p < positions; p++) {
                    for (int j = 0; j < f; j++) {
                        int zo = p * 4 * f;
                        double bi = withBias ? b[j] : 0;
                        double bf = withBias ? b[f + j] : 0;
                        double bc = withBias ? b[2 * f + j] : 0;
                        double bo = withBias ? b[3 * f + j] : 0;
                        double ig = sigmoid(z[zo + j] + bi);
                        double fg = sigmoid(z[zo + f + j] + bf);
                        double cg = Math.tanh(z[zo + 2 * f + j] + bc);
                        double og = sigmoid(z[zo + 3 * f + j] + bo);
                        c[p * f + j] = fg * c[p * f + j] + ig * cg;
                        hn[p * f + j] = og * Math.tanh(c[p * f + j]);
                    }
                }
                h = hn;
                if (sequences) {
                    for (int i = 0; i < state; i++) {
                        expected[(s * steps + step) * state + i] = (float) h[i];
                    }
                }
            }
            if (!sequences) {
                for (int i = 0; i < state; i++) {
                    expected[s * state + i] = (float) h[i];
                }
            }
        }
        if (channelsFirst) {
            expected = swapLastAxes(expected, expected.length / state, positions, f);
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    /** (blocks, rows, cols) -> (blocks, cols, rows). */
    private static float[] swapLastAxes(float[] a, int blocks, int rows, int cols) {
        float[] t = new float[a.length];
        for (int bl = 0; bl < blocks; bl++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[(bl * cols + j) * rows + i] = a[(bl * rows + i) * cols + j];
                }
            }
        }
        return t;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static int[] unflatten(int index, int[] dims) {
        int[] c = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            c[d] = index % dims[d];
            index /= dims[d];
        }
        return c;
    }

    private static int flatten(int[] c, int[] dims) {
        int i = 0;
        for (int d = 0; d < dims.length; d++) {
            i = i * dims[d] + c[d];
        }
        return i;
    }

    private static int[] dims(String spec) {
        String[] p = spec.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Integer.parseInt(p[i]);
        }
        return d;
    }
}
