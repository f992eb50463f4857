package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transposed N-D convolution as TensorFlow's {@code conv_transpose} defines it (Keras Conv1DTranspose/2D/3D), 1 to 3
 * spatial axes, either {@link Layout}. The kernel is in Keras layout {@code (k..., C_out, C_in)}.
 *
 * <p>Definition: input cell i scatters {@code x[i, :] W[k]^T} to position {@code i * stride + k * dilation} of a grid
 * of {@code (n - 1) * stride + k_eff} cells; the output is the window of that grid starting at {@code crop}, with
 * zeros past its end. Output length (Keras {@code deconv_output_length}): valid {@code n * s + max(k_eff - s, 0)},
 * same {@code n * s}, or with output padding p {@code (n - 1) * s + k_eff - 2 * pad + p} where pad is
 * {@code k_eff / 2} for same and 0 for valid. Crop: 0 for valid; for same TensorFlow's
 * {@code max((n - 1) * s + k_eff - length, 0) / 2}.
 *
 * <p>The kernel is emitted as a gather: each output position collects the taps that reach it, accumulating all output
 * channels in a contiguous row ({@code acc[:] += x[i, ci] * W'[tap, ci, :]} with the kernel repacked at generation
 * time to {@code (k..., C_in, C_out)}), so the inner loop is contiguous and free of reductions.
 */
public final class ConvTranspose extends ROperator implements ActivationFusable {
    private final Layout layout;
    private final Window window;
    private final int[] outputPadding;
    private final String kernel;
    private final String bias;
    private final Activation activation;

    /**
     * @param window kernel, strides, dilations and padding (VALID or SAME)
     * @param outputPadding per spatial axis, or null for Keras's default
     * @param bias the bias weight, or null
     */
    public ConvTranspose(String name, String input, String output, Layout layout, Window window,
            int[] outputPadding, String kernel, String bias, Activation activation) {
        super(name, List.of(input), List.of(output));
        if (window.padding() == Window.Padding.EXPLICIT) {
            throw new ModelException("ConvTranspose " + name + ": padding must be valid or same");
        }
        if (outputPadding != null && outputPadding.length != window.rank()) {
            throw new ModelException("ConvTranspose " + name + ": output padding " + Arrays.toString(outputPadding)
                    + " does not match the " + window.rank() + "-D window");
        }
        this.layout = layout;
        this.window = window;
        this.outputPadding = outputPadding == null ? null : outputPadding.clone();
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
    }

    @Override
    public String opType() {
        return "ConvTranspose";
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public ConvTranspose withActivation(Activation fused, String output) {
        return new ConvTranspose(name(), inputs().get(0), output, layout, window, outputPadding, kernel, bias, fused);
    }

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>();
        w.add(kernel);
        if (bias != null) {
            w.add(bias);
        }
        return w;
    }

    /** Output spatial sizes for input spatial sizes {@code in}. */
    int[] outputSize(int[] in) {
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            int k = window.effectiveKernel(d);
            int s = window.stride(d);
            boolean same = window.padding() == Window.Padding.SAME;
            if (outputPadding == null) {
                out[d] = same ? in[d] * s : in[d] * s + Math.max(k - s, 0);
            } else {
                out[d] = (in[d] - 1) * s + k - 2 * (same ? k / 2 : 0) + outputPadding[d];
            }
            if (out[d] < 1) {
                throw new ModelException("ConvTranspose " + name() + ": input size " + Arrays.toString(in)
                        + " gives an empty output");
            }
        }
        return out;
    }

    /** Cells cropped at the start of each axis of the full scatter grid. */
    int[] cropBegin(int[] in, int[] out) {
        int[] crop = new int[in.length];
        if (window.padding() == Window.Padding.SAME) {
            for (int d = 0; d < in.length; d++) {
                crop[d] = Math.max((in[d] - 1) * window.stride(d) + window.effectiveKernel(d) - out[d], 0) / 2;
            }
        }
        return crop;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        int r = window.rank();
        layout.requireRank(x, r, "ConvTranspose " + name());
        Shape w = weights.weight(kernel).shape();
        boolean ok = w.rank() == r + 2 && w.dim(r + 1) == layout.channels(x);
        for (int d = 0; ok && d < r; d++) {
            ok = w.dim(d) == window.kernel(d);
        }
        if (!ok) {
            throw new ModelException("ConvTranspose " + name() + ": kernel " + w + " (k..., out, in) does not match "
                    + "input " + x + " (" + layout + ", window " + Arrays.toString(window.kernel()) + ")");
        }
        int cout = w.dim(r);
        if (bias != null && !weights.weight(bias).shape().equals(Shape.of(cout))) {
            throw new ModelException("ConvTranspose " + name() + ": bias " + weights.weight(bias).shape()
                    + " does not match " + cout + " output channels");
        }
        return List.of(layout.shape(outputSize(layout.spatial(x)), cout));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xs = code.inShape(0);
        Shape ys = code.outShape(0);
        int[] in = layout.spatial(xs);
        int[] out = layout.spatial(ys);
        int cin = layout.channels(xs);
        int cout = layout.channels(ys);
        boolean last = layout == Layout.CHANNELS_LAST;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", code.constant("packed", pack(code.weightData(kernel), cout, cin)));
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        String acc = last ? y : code.scratch(0, cout);
        String cs = last ? "" : " * " + (xs.size() / cin);
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        b.addStatement("final int xb = sample * $L", xs.size());
        b.addStatement("final int yb = sample * $L", ys.size());
        WindowLoops loops = new WindowLoops(b);
        loops.openOutputs(out);
        b.addStatement("final int ao = $L", last ? "yb + op * " + cout : "0");
        if (bias != null) {
            b.addStatement("System.arraycopy(bias, 0, $L, ao, $L)", acc, cout);
        } else {
            b.addStatement("java.util.Arrays.fill($L, ao, ao + $L, 0f)", acc, cout);
        }
        loops.openTransposedTaps(window, in, cropBegin(in, out));
        b.addStatement("final int xo = xb + ip$L", last ? " * " + cin : "");
        b.addStatement("final int wo = tap * $L", cin * cout);
        b.beginControlFlow("for (int ci = 0; ci < $L; ci++)", cin);
        b.addStatement("final float a = $L[xo + ci$L]", x, cs);
        b.addStatement("final int wr = wo + ci * $L", cout);
        b.beginControlFlow("for (int co = 0; co < $L; co++)", cout);
        b.addStatement("$L[ao + co] += a * w[wr + co]", acc);
        b.endControlFlow();
        b.endControlFlow();
        loops.closeTaps();
        Conv.emitStore(code, b, acc, y, cout, ys.size() / cout, last, activation);
        loops.closeOutputs();
        b.endControlFlow();
    }

    /** (taps, out, in) -> (taps, in, out). */
    static float[] pack(float[] w, int cout, int cin) {
        float[] p = new float[w.length];
        int taps = w.length / (cout * cin);
        for (int t = 0; t < taps; t++) {
            int base = t * cout * cin;
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < cin; i++) {
                    p[base + i * cout + o] = w[base + o * cin + i];
                }
            }
        }
        return p;
    }

    @Override
    public String describe() {
        return "ConvTranspose " + window + (outputPadding == null ? "" : ", output padding "
                + Arrays.toString(outputPadding)) + ", " + layout + (activation.isIdentity() ? "" : " + " + activation);
    }
}
