package io.sofie.model.operators;

import java.util.Random;

/** Plain-loop helpers for the tests of windowed operators: index arithmetic over per-sample tensors in either layout. */
final class SpatialReference {
    private SpatialReference() {
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    static int product(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d;
        }
        return p;
    }

    /** Flat index of channel c at spatial position pos in a per-sample tensor of the given spatial sizes. */
    static int index(boolean channelsLast, int[] spatial, int channels, int[] pos, int c) {
        int p = 0;
        for (int d = 0; d < spatial.length; d++) {
            p = p * spatial[d] + pos[d];
        }
        return channelsLast ? p * channels + c : c * product(spatial) + p;
    }

    /** Advances an odometer over {@code sizes}; false when it wrapped around. */
    static boolean next(int[] idx, int[] sizes) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < sizes[d]) {
                return true;
            }
            idx[d] = 0;
        }
        return false;
    }

    /** TensorFlow SAME: output size and padding before, per axis. */
    static int[][] same(int[] in, int[] k, int[] s, int[] dil) {
        int[] out = new int[in.length];
        int[] pb = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = (in[d] + s[d] - 1) / s[d];
            int keff = (k[d] - 1) * dil[d] + 1;
            pb[d] = Math.max((out[d] - 1) * s[d] + keff - in[d], 0) / 2;
        }
        return new int[][] {out, pb};
    }

    static int[] valid(int[] in, int[] k, int[] s, int[] dil) {
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = (in[d] - ((k[d] - 1) * dil[d] + 1)) / s[d] + 1;
        }
        return out;
    }

    static int[] spatialShape(boolean channelsLast, int[] spatial, int channels) {
        int[] s = new int[spatial.length + 1];
        System.arraycopy(spatial, 0, s, channelsLast ? 0 : 1, spatial.length);
        s[channelsLast ? spatial.length : 0] = channels;
        return s;
    }
}
