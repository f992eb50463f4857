package io.sofie.keras.layers;

import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.model.Shape;
import io.sofie.model.operators.Layout;

/**
 * Brings a stored convolution kernel into the layout of Keras 2 and 3, {@code (k..., C_in, C_out)}, which the Conv
 * operator takes.
 *
 * <ul>
 *   <li>Keras 1 with {@code dim_ordering='th'} stores 2-D and 3-D kernels as {@code (C_out, C_in, k...)}.</li>
 *   <li>Keras 1 Convolution1D stores {@code (k, 1, C_in, C_out)} (it ran as a 2-D convolution).</li>
 *   <li>The Theano backend computes a true convolution (its conv2d flips the kernel), where TensorFlow, the other
 *       Keras backends and the Conv operator compute a cross-correlation; Keras itself flips kernels when it moves
 *       weights between the two ({@code convert_kernel}). Kernels written by the Theano backend are therefore flipped
 *       along their spatial axes. Keras 2 files record the backend; Keras 1 files do not, and there the weight names
 *       tell: TensorFlow names every variable {@code name:0}, Theano's shared variables carry no such suffix.</li>
 * </ul>
 */
final class ConvKernels {
    private ConvKernels() {
    }

    /** Stored weight {@code index} as a {@code (kernel..., cin, cout)} kernel. */
    static float[] standard(LayerContext ctx, int index, int[] kernel, int cin, int cout, Layout layout) {
        int r = kernel.length;
        int[] standard = new int[r + 2];
        System.arraycopy(kernel, 0, standard, 0, r);
        standard[r] = cin;
        standard[r + 1] = cout;
        KerasWeight w = ctx.weights().size() > index ? ctx.weights().get(index) : null;
        float[] data;
        if (w != null && ctx.kerasVersion() == KerasVersion.KERAS_1 && r == 1 && w.shape().rank() == 4) {
            data = ctx.weight(index, kernel[0], 1, cin, cout).data();
        } else if (w != null && ctx.kerasVersion() == KerasVersion.KERAS_1 && r > 1
                && layout == Layout.CHANNELS_FIRST) {
            int[] th = new int[r + 2];
            th[0] = cout;
            th[1] = cin;
            System.arraycopy(kernel, 0, th, 2, r);
            int[] perm = new int[r + 2];
            for (int d = 0; d < r; d++) {
                perm[d] = d + 2;
            }
            perm[r] = 1;
            perm[r + 1] = 0;
            data = transpose(ctx.weight(index, th).data(), th, perm);
        } else {
            data = ctx.weight(index, standard).data();
        }
        if (writtenByTheano(ctx)) {
            data = flipSpatial(data, kernel, cin * cout);
        }
        return data;
    }

    /** Whether the layer's kernels come from the Theano backend (see the class comment). */
    static boolean writtenByTheano(LayerContext ctx) {
        if (ctx.backend() != null) {
            return ctx.backend().equalsIgnoreCase("theano");
        }
        return ctx.kerasVersion() == KerasVersion.KERAS_1 && !ctx.weights().isEmpty()
                && ctx.weights().stream().noneMatch(w -> w.name().contains(":"));
    }

    /** The shape of a standard kernel. */
    static Shape shape(int[] kernel, int cin, int cout) {
        int[] s = new int[kernel.length + 2];
        System.arraycopy(kernel, 0, s, 0, kernel.length);
        s[kernel.length] = cin;
        s[kernel.length + 1] = cout;
        return Shape.of(s);
    }

    /** Reverses every spatial axis of a {@code (kernel..., inner)} array. */
    static float[] flipSpatial(float[] data, int[] kernel, int inner) {
        int taps = data.length / inner;
        float[] out = new float[data.length];
        int[] idx = new int[kernel.length];
        for (int t = 0; t < taps; t++) {
            int rem = t;
            for (int d = kernel.length - 1; d >= 0; d--) {
                idx[d] = rem % kernel[d];
                rem /= kernel[d];
            }
            int flipped = 0;
            for (int d = 0; d < kernel.length; d++) {
                flipped = flipped * kernel[d] + (kernel[d] - 1 - idx[d]);
            }
            System.arraycopy(data, t * inner, out, flipped * inner, inner);
        }
        return out;
    }

    /** Row-major transpose: output axis i is input axis {@code perm[i]}. */
    static float[] transpose(float[] data, int[] shape, int[] perm) {
        int r = shape.length;
        int[] inStrides = new int[r];
        int s = 1;
        for (int d = r - 1; d >= 0; d--) {
            inStrides[d] = s;
            s *= shape[d];
        }
        int[] outShape = new int[r];
        int[] strides = new int[r];
        for (int d = 0; d < r; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        float[] out = new float[data.length];
        int[] idx = new int[r];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int d = 0; d < r; d++) {
                src += idx[d] * strides[d];
            }
            out[o] = data[src];
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }
}
