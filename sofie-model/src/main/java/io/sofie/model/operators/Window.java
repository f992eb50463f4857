package io.sofie.model.operators;

import io.sofie.model.ModelException;
import java.util.Arrays;

/**
 * The geometry of a sliding window over the spatial axes (kernel size, strides, dilations, padding), shared by Conv,
 * MaxPool and AveragePool. Immutable.
 *
 * <p>{@link Padding#SAME} is TensorFlow's SAME (and so Keras's "same"): {@code ceil(n / stride)} outputs, the total
 * padding {@code max((out - 1) * stride + effectiveKernel - n, 0)} split with the extra cell at the end. Keras's
 * causal padding is {@link Padding#EXPLICIT} with {@code (k - 1) * dilation} cells at the start.
 */
public final class Window {
    /** How the padding is decided. */
    public enum Padding {
        VALID, SAME, EXPLICIT
    }

    private final int[] kernel;
    private final int[] strides;
    private final int[] dilations;
    private final Padding padding;
    private final int[] padBegin;
    private final int[] padEnd;

    private Window(int[] kernel, int[] strides, int[] dilations, Padding padding, int[] padBegin, int[] padEnd) {
        int r = kernel.length;
        if (r == 0 || strides.length != r || dilations.length != r || padBegin.length != r || padEnd.length != r) {
            throw new ModelException("window attributes disagree in rank: kernel " + Arrays.toString(kernel)
                    + ", strides " + Arrays.toString(strides) + ", dilations " + Arrays.toString(dilations));
        }
        for (int d = 0; d < r; d++) {
            if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1 || padBegin[d] < 0 || padEnd[d] < 0) {
                throw new ModelException("invalid window: kernel " + Arrays.toString(kernel) + ", strides "
                        + Arrays.toString(strides) + ", dilations " + Arrays.toString(dilations) + ", pads "
                        + Arrays.toString(padBegin) + "/" + Arrays.toString(padEnd));
            }
        }
        this.kernel = kernel.clone();
        this.strides = strides.clone();
        this.dilations = dilations.clone();
        this.padding = padding;
        this.padBegin = padBegin.clone();
        this.padEnd = padEnd.clone();
    }

    /** VALID or SAME padding. */
    public static Window of(int[] kernel, int[] strides, int[] dilations, Padding padding) {
        if (padding == Padding.EXPLICIT) {
            throw new IllegalArgumentException("explicit padding needs pads: use Window.explicit");
        }
        int[] zero = new int[kernel.length];
        return new Window(kernel, strides, dilations, padding, zero, zero);
    }

    public static Window explicit(int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {
        return new Window(kernel, strides, dilations, Padding.EXPLICIT, padBegin, padEnd);
    }

    /** Keras's causal padding of a 1-D window: {@code (k - 1) * dilation} zeros before the sequence. */
    public static Window causal(int kernel, int stride, int dilation) {
        return explicit(new int[] {kernel}, new int[] {stride}, new int[] {dilation},
                new int[] {(kernel - 1) * dilation}, new int[] {0});
    }

    public int rank() {
        return kernel.length;
    }

    public int kernel(int d) {
        return kernel[d];
    }

    public int[] kernel() {
        return kernel.clone();
    }

    public int stride(int d) {
        return strides[d];
    }

    public int dilation(int d) {
        return dilations[d];
    }

    public Padding padding() {
        return padding;
    }

    /** Number of kernel taps. */
    public int taps() {
        int t = 1;
        for (int k : kernel) {
            t *= k;
        }
        return t;
    }

    public int effectiveKernel(int d) {
        return (kernel[d] - 1) * dilations[d] + 1;
    }

    /** Output spatial sizes for input spatial sizes {@code in}; throws when the window does not fit. */
    public int[] outputSize(int[] in) {
        requireRank(in);
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            switch (padding) {
                case SAME:
                    out[d] = (in[d] + strides[d] - 1) / strides[d];
                    break;
                case VALID:
                    out[d] = in[d] >= effectiveKernel(d) ? (in[d] - effectiveKernel(d)) / strides[d] + 1 : 0;
                    break;
                default:
                    int padded = in[d] + padBegin[d] + padEnd[d];
                    out[d] = padded >= effectiveKernel(d) ? (padded - effectiveKernel(d)) / strides[d] + 1 : 0;
            }
            if (out[d] < 1) {
                throw new ModelException("window " + this + " does not fit input size " + Arrays.toString(in));
            }
        }
        return out;
    }

    /** Padding before the first input cell, per spatial axis, for input spatial sizes {@code in}. */
    public int[] padBegin(int[] in) {
        requireRank(in);
        if (padding == Padding.EXPLICIT) {
            return padBegin.clone();
        }
        int[] pads = new int[in.length];
        if (padding == Padding.SAME) {
            int[] out = outputSize(in);
            for (int d = 0; d < in.length; d++) {
                pads[d] = Math.max((out[d] - 1) * strides[d] + effectiveKernel(d) - in[d], 0) / 2;
            }
        }
        return pads;
    }

    private void requireRank(int[] in) {
        if (in.length != kernel.length) {
            throw new ModelException("window " + this + " is " + kernel.length + "-D but the input has "
                    + in.length + " spatial axes");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("kernel ").append(Arrays.toString(kernel));
        sb.append(", strides ").append(Arrays.toString(strides));
        if (Arrays.stream(dilations).anyMatch(x -> x != 1)) {
            sb.append(", dilations ").append(Arrays.toString(dilations));
        }
        sb.append(", ").append(padding.name().toLowerCase(java.util.Locale.ROOT));
        if (padding == Padding.EXPLICIT) {
            sb.append(' ').append(Arrays.toString(padBegin)).append('/').append(Arrays.toString(padEnd));
        }
        return sb.toString();
    }
}
