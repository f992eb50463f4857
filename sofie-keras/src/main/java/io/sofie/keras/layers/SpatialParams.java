package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.model.Shape;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the config of spatial layers (convolutions, pooling, padding, resizing) in the spellings of Keras 1
 * ({@code dim_ordering}, {@code border_mode}, {@code subsample}, {@code nb_row}), Keras 2 and Keras 3.
 */
final class SpatialParams {
    private SpatialParams() {
    }

    /** The layer's data format: {@code data_format} (Keras 2/3) or {@code dim_ordering} (Keras 1: th / tf). */
    static Layout layout(LayerContext ctx) {
        String f = ctx.stringParam(null, "data_format", "dim_ordering");
        if (f == null || f.equals("channels_last") || f.equals("tf")) {
            return Layout.CHANNELS_LAST;
        }
        if (f.equals("channels_first") || f.equals("th")) {
            return Layout.CHANNELS_FIRST;
        }
        throw ctx.unsupported("data format '" + f + "'");
    }

    /** The input of a layer with {@code rank} spatial axes; fails clearly for another rank. */
    static Shape spatialInput(LayerContext ctx, int rank) {
        ctx.expectInputs(1);
        Shape in = ctx.inputShape(0);
        if (in.rank() != rank + 1) {
            throw ctx.error("takes " + (rank + 1) + " axes per sample (" + rank + " spatial + channels) but its input "
                    + "has shape " + in);
        }
        return in;
    }

    /** An int or a list of {@code rank} ints under one of {@code keys}; {@code def} for each axis when absent. */
    static int[] tuple(LayerContext ctx, int rank, int def, String... keys) {
        int[] v = ctx.intsParam(keys);
        if (v == null) {
            int[] d = new int[rank];
            Arrays.fill(d, def);
            return d;
        }
        if (v.length == 1 && rank > 1) {
            int[] d = new int[rank];
            Arrays.fill(d, v[0]);
            return d;
        }
        if (v.length != rank) {
            throw ctx.error("config '" + keys[0] + "' is " + Arrays.toString(v) + "; a " + rank
                    + "-D layer needs " + rank + " values");
        }
        return v;
    }

    /** The kernel size: {@code kernel_size}, or Keras 1's filter_length / nb_row, nb_col / kernel_dim1..3. */
    static int[] kernelSize(LayerContext ctx, int rank) {
        if (ctx.has("kernel_size")) {
            return tuple(ctx, rank, 1, "kernel_size");
        }
        switch (rank) {
            case 1:
                return new int[] {ctx.requireInt("filter_length")};
            case 2:
                return new int[] {ctx.requireInt("nb_row"), ctx.requireInt("nb_col")};
            default:
                return new int[] {ctx.requireInt("kernel_dim1"), ctx.requireInt("kernel_dim2"),
                    ctx.requireInt("kernel_dim3")};
        }
    }

    static int[] strides(LayerContext ctx, int rank) {
        return tuple(ctx, rank, 1, "strides", "subsample", "subsample_length");
    }

    static int[] dilations(LayerContext ctx, int rank) {
        return tuple(ctx, rank, 1, "dilation_rate", "atrous_rate");
    }

    /** {@code padding} (Keras 2/3) or {@code border_mode} (Keras 1), lower case; valid when absent. */
    static String padding(LayerContext ctx) {
        return ctx.stringParam("valid", "padding", "border_mode").toLowerCase(Locale.ROOT);
    }

    /**
     * Theano's "same" convolution (Keras 1 and 2 Theano backends): Theano's {@code half} mode pads
     * {@code k_eff / 2} cells before each axis (TensorFlow pads {@code (k_eff - 1) / 2} for stride 1, even less
     * with strides), and Keras then keeps the first {@code ceil(n / stride)} outputs.
     */
    static Window theanoSame(int[] kernel, int[] strides, int[] dilations, int[] in) {
        int r = kernel.length;
        int[] begin = new int[r];
        int[] end = new int[r];
        for (int d = 0; d < r; d++) {
            int keff = (kernel[d] - 1) * dilations[d] + 1;
            int out = (in[d] + strides[d] - 1) / strides[d];
            begin[d] = keff / 2;
            end[d] = Math.max(0, (out - 1) * strides[d] + keff - in[d] - begin[d]);
        }
        return Window.explicit(kernel, strides, dilations, begin, end);
    }

    /**
     * Theano's "same" pooling (Keras 1 and 2 Theano backends): {@code k - 2} (odd k) or {@code k - 1} (even k) cells
     * of padding, which take no part in a max or an average, before each axis; Keras keeps the first
     * {@code ceil(n / stride)} outputs.
     */
    static Window theanoSamePool(int[] pool, int[] strides, int[] in) {
        int r = pool.length;
        int[] begin = new int[r];
        int[] end = new int[r];
        int[] ones = new int[r];
        for (int d = 0; d < r; d++) {
            ones[d] = 1;
            int out = (in[d] + strides[d] - 1) / strides[d];
            begin[d] = Math.max(0, pool[d] % 2 == 1 ? pool[d] - 2 : pool[d] - 1);
            end[d] = Math.max(0, (out - 1) * strides[d] + pool[d] - in[d] - begin[d]);
        }
        return Window.explicit(pool, strides, ones, begin, end);
    }

    /** The window of a convolution or pooling layer; causal padding only for 1-D layers that allow it. */
    static Window window(LayerContext ctx, int[] kernel, int[] strides, int[] dilations, boolean causalAllowed) {
        String padding = padding(ctx);
        switch (padding) {
            case "valid":
                return Window.of(kernel, strides, dilations, Window.Padding.VALID);
            case "same":
                return Window.of(kernel, strides, dilations, Window.Padding.SAME);
            case "causal":
                if (causalAllowed && kernel.length == 1) {
                    return Window.causal(kernel[0], strides[0], dilations[0]);
                }
                throw ctx.unsupported("padding 'causal' on this layer");
            default:
                throw ctx.unsupported("padding '" + padding + "' (only valid, same and, for Conv1D, causal)");
        }
    }
}
