package io.sofie.model.operators;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // Same padding on rows of 16 or just under: planes of tight rows (no padding columns), with zeroed cells
        // where a line's reads cross into the neighbouring row.
        "6x16, 3x3, 1x1, same, 1, 3, 4, true, true",
        "5x15, 3x3, 1x1, same, 1, 2, 5, false, true",
        "4x32, 3x2, 1x1, same, 1, 3, 4, false, false",
        "4x32, 3x3, 1x3, same, 1, 2, 4, true, false",
        "7x16, 3x3, 2x2, same, 1, 2, 3, true, true",
        "5x14, 3x4, 1x1, same, 2, 4, 6, true, true",
        "3x4x16, 1x3x3, 1x1x1, same, 1, 2, 3, false, true",
    })
    void planarKernelMatchesDefinition(String inS, String kS, String dS, String padding, int groups, int cin,
            int cout, boolean last, boolean withBias) {
        String strides = inS.replaceAll("[0-9]+", "1");
        check(inS, kS, strides, dS, padding, groups, cin, cout, last, withBias, true);
    }

    /** Channels-last stride-1 depthwise convolutions, which run on {@link DepthwiseRows}. */
    @ParameterizedTest(name = "depthwise rows: in {0}, kernel {1}, dilation {2}, {3}, {4} channels, bias {5}")
    @CsvSource({
        "9x10, 3x3, 1x1, same, 16, true",
        "9x10, 3x3, 2x2, valid, 32, true",
        "7x8, 2x3, 1x2, same, 16, false",
        "6x7, 3x1, 1x1, same, 16, true",
        "30, 3, 1, causal, 16, true",
        "30, 3, 2, same, 32, false",
        "12, 2, 1, valid, 16, true",
    })
    void depthwiseRowsMatchDefinition(String inS, String kS, String dS, String padding, int channels,
            boolean withBias) {
        int[] in = dims(inS);
        Window window = padding.equals("causal") ? Window.causal(dims(kS)[0], 1, dims(dS)[0])
                : Window.of(dims(kS), dims(inS.replaceAll("[0-9]+", "1")), dims(dS),
                        padding.equals("same") ? Window.Padding.SAME : Window.Padding.VALID);
        Shape x = Shape.of(spatialShape(true, in, channels));
        Shape y = Layout.CHANNELS_LAST.shape(window.outputSize(in), channels);
        assertTrue(new DepthwiseRows(window, Layout.CHANNELS_LAST, channels, x, y).suits());
        String strides = inS.replaceAll("[0-9]+", "1");
        check(inS, kS, strides, dS, padding, channels, channels, channels, true, withBias, null);
    }

    /** Depthwise convolutions DepthwiseRows leaves to the other kernels: channels-first, too few channels, strided. */
    @Test
    void depthwiseRowsTakeOnlyWhatTheyVectorise() {
        Window w = Window.of(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, Window.Padding.SAME);
        Shape last16 = Shape.of(8, 8, 16);
        assertTrue(new DepthwiseRows(w, Layout.CHANNELS_LAST, 16, last16, last16).suits());
        assertFalse(new DepthwiseRows(w, Layout.CHANNELS_FIRST, 16, Shape.of(16, 8, 8), Shape.of(16, 8, 8)).suits());
        assertFalse(new DepthwiseRows(w, Layout.CHANNELS_LAST, 8, Shape.of(8, 8, 8), Shape.of(8, 8, 8)).suits());
        assertFalse(new DepthwiseRows(w, Layout.CHANNELS_LAST, 1, last16, last16).suits());
        Window strided = Window.of(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, Window.Padding.SAME);
        assertFalse(new DepthwiseRows(strided, Layout.CHANNELS_LAST, 16, last16, Shape.of(4, 4, 16)).suits());
        Window wide = Window.of(new int[] {5, 5}, new int[] {1, 1}, new int[] {1, 1}, Window.Padding.SAME);
        assertFalse(new DepthwiseRows(wide, Layout.CHANNELS_LAST, 16, last16, last16).suits());
    }

    /**
     * Strided convolutions with enough output positions run planar on gathered lines, one per tap and channel: copied
     * out of phase planes (every case but the last two), or gathered one by one where phase planes would hold more
     * cells than the lines (a 1 x 1 window, a window no larger than the stride).
     */
    @ParameterizedTest(name = "gathered: in {0}, kernel {1}, stride {2}, dilation {3}, {4}, groups {5}, c {6}->{7}, "
            + "last {8}")
    @CsvSource({
        "16x16, 3x3, 2x2, 1x1, same, 1, 3, 4, true",
        "15x15, 3x3, 2x2, 1x1, same, 1, 3, 4, true",
        "16x16, 3x3, 2x2, 1x1, valid, 1, 3, 16, false",
        "15x17, 3x2, 2x3, 1x1, valid, 2, 4, 6, false",
        "14x14, 3x3, 2x1, 2x1, same, 1, 2, 5, true",
        "16x16, 3x3, 2x2, 1x1, same, 8, 8, 8, true",
        "100, 4, 3, 1, same, 1, 3, 4, true",
        "100, 3, 2, 1, causal, 1, 2, 3, true",
        "6x8x8, 2x3x3, 2x2x2, 1x1x1, same, 1, 2, 3, true",
        "16x16, 1x1, 2x2, 1x1, valid, 1, 4, 8, false",
        "16x16, 2x2, 2x2, 1x1, valid, 1, 3, 5, true",
    })
    void stridedPlanarKernelMatchesDefinition(String inS, String kS, String sS, String dS, String padding, int groups,
            int cin, int cout, boolean last) {
        check(inS, kS, sS, dS, padding, groups, cin, cout, last, true, true);
    }

    /** Convolutions the planar kernel does not take (more than three taps per line, few positions) stay exact. */
    @ParameterizedTest(name = "not planar: in {0}, kernel {1}, stride {2}")
    @CsvSource({
        "12x12, 5x5, 1x1, same",
        "9x9, 3x3, 2x2, same",
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
