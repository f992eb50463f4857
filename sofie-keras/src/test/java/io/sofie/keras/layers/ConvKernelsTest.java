package io.sofie.keras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kernel re-layouts for Keras 1 'th' kernels and Theano's flipped kernels, element by element. */
class ConvKernelsTest {
    @Test
    void theanoOrderedKernelBecomesKerasTwoLayout() {
        int cout = 3;
        int cin = 2;
        int rows = 4;
        int cols = 5;
        float[] th = new float[cout * cin * rows * cols];
        for (int i = 0; i < th.length; i++) {
            th[i] = i;
        }
        float[] std = ConvKernels.transpose(th, new int[] {cout, cin, rows, cols}, new int[] {2, 3, 1, 0});
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < cin; i++) {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        assertEquals(th[((o * cin + i) * rows + r) * cols + c],
                                std[((r * cols + c) * cin + i) * cout + o]);
                    }
                }
            }
        }
    }

    @Test
    void flipReversesEverySpatialAxisOnly() {
        int[] k = {2, 3, 4};
        int inner = 6;
        float[] w = new float[2 * 3 * 4 * inner];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        float[] f = ConvKernels.flipSpatial(w, k, inner);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) {
                    for (int j = 0; j < inner; j++) {
                        int flipped = ((1 - a) * 3 + (2 - b)) * 4 + (3 - c);
                        assertEquals(w[((a * 3 + b) * 4 + c) * inner + j], f[flipped * inner + j]);
                    }
                }
            }
        }
    }
}
