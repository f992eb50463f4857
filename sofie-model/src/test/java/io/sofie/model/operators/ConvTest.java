package io.sofie.model.operators;

import static io.sofie.model.operators.SpatialReference.index;
import static io.sofie.model.operators.SpatialReference.next;
import static io.sofie.model.operators.SpatialReference.product;
import static io.sofie.model.operators.SpatialReference.random;
import static io.sofie.model.operators.SpatialReference.spatialShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted Conv against a direct definition in plain loops: every layout, rank, padding and grouping path. */
class ConvTest {
    @ParameterizedTest(name = "in {0} k {1} s {2} d {3} {4} groups {5} cin {6} cout {7} last {8} bias {9}")
    @CsvSource({
        "16, 3, 1, 1, valid, 1, 3, 4, true, true",
        "16, 4, 3, 1, same, 1, 3, 2, false, true",
        "16, 3, 2, 2, causal, 1, 2, 5, true, false",
        "7x9, 3x2, 2x1, 1x2, same, 1, 3, 4, true, true",
        "7x9, 3x3, 1x2, 1x1, same, 1, 3, 4, false, false",
        "8x8, 3x3, 1x1, 1x1, same, 3, 3, 6, true, true",
        "8x8, 3x3, 2x2, 1x1, same, 3, 3, 3, false, true",
        "8x6, 2x2, 1x1, 1x1, valid, 2, 4, 6, true, true",
        "8x6, 2x3, 1x1, 2x1, same, 2, 4, 6, false, true",
        "5x6x4, 2x3x2, 1x2x1, 1x1x1, same, 1, 2, 3, true, true",
        "5x6x4, 3x2x2, 2x1x1, 1x1x1, valid, 1, 2, 3, false, false",
        "6x5, 3x3, 1x1, 1x1, same, 2, 10, 4, true, true",
        "9, 3, 1, 1, same, 1, 9, 3, false, true",
        "9, 2, 2, 1, valid, 1, 8, 5, true, false",
    })
    void matchesDefinition(String inS, String kS, String sS, String dS, String padding, int groups, int cin,
            int cout, boolean last, boolean withBias) {
        check(inS, kS, sS, dS, padding, groups, cin, cout, last, withBias, null);
    }

    /** Stride-1 convolutions large enough for the planar kernel, in every shape it handles. */
    @ParameterizedTest(name = "planar: in {0}, kernel {1}, dilation {2}, {3}, {4} group(s), {5} -> {6}, last {7}")
    @CsvSource({
        "12x10, 3x3, 1x1, same, 1, 5, 8, true, true",
        "12x10, 3x3, 2x2, valid, 1, 3, 6, false, false",
        "12x12, 3x3, 1x1, same, 4, 8, 8, true, true",
        "11x11, 3x3, 1x1, valid, 6, 6, 12, true, true",
        "11x11, 3x3, 1x1, same, 6, 6, 6, false, true",
        "10x9, 2x3, 1x1, same, 1, 3, 5, false, true",
        "8x8, 1x1, 1x1, valid, 1, 5, 4, true, false",
        "40, 5, 1, same, 1, 4, 7, true, true",
        "50, 3, 2, causal, 1, 3, 4, false, true",
        "48, 4, 1, valid, 2, 4, 6, true, true",
        "3x8x8, 1x3x3, 1x1x1, same, 1, 2, 3, true, true",
        "4x7x9, 3x1x2, 1x1x1, valid, 1, 2, 4, false, true",
    })
    void planarKernelMatchesDefinition(String inS, String kS, String dS, String padding, int groups, int cin,
            int cout, boolean last, boolean withBias) {
        String strides = inS.replaceAll("[0-9]+", "1");
        check(inS, kS, strides, dS, padding, groups, cin, cout, last, withBias, true);
    }

    /** Large convolutions the planar kernel does not take (strided, more than three taps per line) stay exact. */
    @ParameterizedTest(name = "not planar: in {0}, kernel {1}, stride {2}")
    @CsvSource({
        "12x12, 5x5, 1x1, same",
        "16x16, 3x3, 2x2, same",
        "40, 3, 2, valid",
    })
    void otherKernelsTakeWhatThePlanarKernelDoesNot(String inS, String kS, String sS, String padding) {
        String ones = inS.replaceAll("[0-9]+", "1");
        check(inS, kS, sS, ones, padding, 1, 3, 4, true, true, false);
    }

    /** Runs one convolution against the definition; {@code planar}, when not null, is the kernel it must run on. */
    private static void check(String inS, String kS, String sS, String dS, String padding, int groups, int cin,
            int cout, boolean last, boolean withBias, Boolean planar) {
        int[] in = dims(inS);
        int[] k = dims(kS);
        int[] s = dims(sS);
        int[] dil = dims(dS);
        int r = in.length;
        Window window;
        int[] out;
        int[] pb;
        switch (padding) {
            case "same":
                window = Window.of(k, s, dil, Window.Padding.SAME);
                int[][] same = SpatialReference.same(in, k, s, dil);
                out = same[0];
                pb = same[1];
                break;
            case "causal":
                window = Window.causal(k[0], s[0], dil[0]);
                pb = new int[] {(k[0] - 1) * dil[0]};
                out = new int[] {(in[0] + pb[0] - ((k[0] - 1) * dil[0] + 1)) / s[0] + 1};
                break;
            default:
                window = Window.of(k, s, dil, Window.Padding.VALID);
                out = SpatialReference.valid(in, k, s, dil);
                pb = new int[r];
        }
        Random rnd = new Random(Arrays.hashCode(in) * 31 + cout);
        int cinG = cin / groups;
        int coutG = cout / groups;
        int[] kShape = Arrays.copyOf(k, r + 2);
        kShape[r] = cinG;
        kShape[r + 1] = cout;
        float[] w = random(rnd, product(kShape));
        float[] bias = random(rnd, cout);
        RModel.Builder builder = RModel.builder("conv")
                .addInput("x", Shape.of(spatialShape(last, in, cin)))
                .addWeight("w", Shape.of(kShape), w);
        if (withBias) {
            builder.addWeight("b", Shape.of(cout), bias);
        }
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        RModel model = builder
                .addOperator(new Conv("conv", "x", "y", layout, window, groups, "w", withBias ? "b" : null,
                        Activation.of(Activation.Kind.TANH)))
                .addOutput("y")
                .build();
        assertArrayEquals(spatialShape(last, out, cout), model.shape("y").dims());
        if (planar != null) {
            Conv conv = (Conv) model.operators().get(0);
            assertEquals(planar, conv.runsPlanar(model.shape("x"), model.shape("y")));
        }
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "ConvModel"));
        int batch = 3;
        int xSize = product(in) * cin;
        int ySize = product(out) * cout;
        float[] x = random(rnd, batch * xSize);
        float[] actual = compiled.infer(batch, x)[0];
        float[] expected = new float[batch * ySize];
        for (int n = 0; n < batch; n++) {
            int[] o = new int[r];
            do {
                for (int co = 0; co < cout; co++) {
                    int g = co / coutG;
                    double acc = withBias ? bias[co] : 0;
                    int[] t = new int[r];
                    do {
                        int[] i = new int[r];
                        boolean inside = true;
                        for (int d = 0; d < r; d++) {
                            i[d] = o[d] * s[d] - pb[d] + t[d] * dil[d];
                            inside &= i[d] >= 0 && i[d] < in[d];
                        }
                        if (!inside) {
                            continue;
                        }
                        int tap = 0;
                        for (int d = 0; d < r; d++) {
                            tap = tap * k[d] + t[d];
                        }
                        for (int ci = 0; ci < cinG; ci++) {
                            acc += (double) x[n * xSize + index(last, in, cin, i, g * cinG + ci)]
                                    * w[(tap * cinG + ci) * cout + co];
                        }
                    } while (next(t, k));
                    expected[n * ySize + index(last, out, cout, o, co)] = (float) Math.tanh(acc);
                }
            } while (next(o, out));
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    static int[] dims(String spec) {
        return Arrays.stream(spec.split("x")).mapToInt(Integer::parseInt).toArray();
    }
}
