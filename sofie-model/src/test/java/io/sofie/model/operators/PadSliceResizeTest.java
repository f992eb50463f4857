package io.sofie.model.operators;

import static io.sofie.model.operators.SpatialReference.index;
import static io.sofie.model.operators.SpatialReference.next;
import static io.sofie.model.operators.SpatialReference.product;
import static io.sofie.model.operators.SpatialReference.random;
import static io.sofie.model.operators.SpatialReference.spatialShape;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pad, Slice and Resize against plain loops. */
class PadSliceResizeTest {
    private static final int[] SHAPE = {4, 5, 3};

    @Test
    void padPlacesInputAndZeros() {
        int[] begin = {1, 0, 2};
        int[] end = {2, 3, 0};
        int[] out = {7, 8, 5};
        float[] x = random(new Random(1), 2 * product(SHAPE));
        float[] actual = PoolTest.run(new Pad("pad", "x", "y", begin, end), SHAPE, out, 2, x);
        float[] expected = new float[2 * product(out)];
        for (int n = 0; n < 2; n++) {
            int[] i = new int[3];
            do {
                int o = ((i[0] + begin[0]) * out[1] + i[1] + begin[1]) * out[2] + i[2] + begin[2];
                expected[n * product(out) + o] = x[n * product(SHAPE) + (i[0] * SHAPE[1] + i[1]) * SHAPE[2] + i[2]];
            } while (next(i, SHAPE));
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) == 0);
    }

    @Test
    void sliceCopiesTheBox() {
        int[] starts = {1, 2, 0};
        int[] ends = {3, 5, 2};
        int[] out = {2, 3, 2};
        float[] x = random(new Random(2), 2 * product(SHAPE));
        float[] actual = PoolTest.run(new Slice("crop", "x", "y", starts, ends), SHAPE, out, 2, x);
        float[] expected = new float[2 * product(out)];
        for (int n = 0; n < 2; n++) {
            int[] o = new int[3];
            do {
                expected[n * product(out) + (o[0] * out[1] + o[1]) * out[2] + o[2]] = x[n * product(SHAPE)
                        + ((o[0] + starts[0]) * SHAPE[1] + o[1] + starts[1]) * SHAPE[2] + o[2] + starts[2]];
            } while (next(o, out));
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) == 0);
    }

    @ParameterizedTest(name = "channels last {0}")
    @ValueSource(booleans = {true, false})
    void nearestRepeatsCells(boolean last) {
        int[] in = {3, 4};
        int[] f = {2, 3};
        int[] out = {6, 12};
        int c = 2;
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        float[] x = random(new Random(3), 2 * product(in) * c);
        float[] actual = PoolTest.run(new Resize("up", "x", "y", layout, f, Resize.Mode.NEAREST),
                spatialShape(last, in, c), spatialShape(last, out, c), 2, x);
        float[] expected = new float[actual.length];
        for (int n = 0; n < 2; n++) {
            int[] o = new int[2];
            do {
                for (int ch = 0; ch < c; ch++) {
                    int[] i = {o[0] / f[0], o[1] / f[1]};
                    expected[n * product(out) * c + index(last, out, c, o, ch)] =
                            x[n * product(in) * c + index(last, in, c, i, ch)];
                }
            } while (next(o, out));
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) == 0);
    }

    @ParameterizedTest(name = "channels last {0}, half-pixel {1}")
    @CsvSource({"true, true", "false, true", "true, false", "false, false"})
    void bilinearSamplesTheMappedCoordinate(boolean last, boolean halfPixel) {
        int[] in = {3, 4};
        int[] f = {2, 3};
        int[] out = {6, 12};
        int c = 3;
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        float[] x = random(new Random(4), 2 * product(in) * c);
        Resize.Coordinates coordinates = halfPixel ? Resize.Coordinates.HALF_PIXEL : Resize.Coordinates.ASYMMETRIC;
        float[] actual = PoolTest.run(new Resize("up", "x", "y", layout, f, Resize.Mode.LINEAR, coordinates),
                spatialShape(last, in, c), spatialShape(last, out, c), 2, x);
        float[] expected = new float[actual.length];
        for (int n = 0; n < 2; n++) {
            int[] o = new int[2];
            do {
                double[] src = new double[2];
                int[] lo = new int[2];
                int[] hi = new int[2];
                for (int d = 0; d < 2; d++) {
                    src[d] = halfPixel ? Math.max(0, (o[d] + 0.5) / f[d] - 0.5) : (double) o[d] / f[d];
                    lo[d] = (int) Math.floor(src[d]);
                    hi[d] = Math.min(lo[d] + 1, in[d] - 1);
                    src[d] -= lo[d];
                }
                for (int ch = 0; ch < c; ch++) {
                    int base = n * product(in) * c;
                    double v00 = x[base + index(last, in, c, new int[] {lo[0], lo[1]}, ch)];
                    double v01 = x[base + index(last, in, c, new int[] {lo[0], hi[1]}, ch)];
                    double v10 = x[base + index(last, in, c, new int[] {hi[0], lo[1]}, ch)];
                    double v11 = x[base + index(last, in, c, new int[] {hi[0], hi[1]}, ch)];
                    double top = (1 - src[1]) * v00 + src[1] * v01;
                    double bottom = (1 - src[1]) * v10 + src[1] * v11;
                    expected[n * product(out) * c + index(last, out, c, o, ch)] =
                            (float) ((1 - src[0]) * top + src[0] * bottom);
                }
            } while (next(o, out));
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-6, "worst difference " + worst);
    }
}
