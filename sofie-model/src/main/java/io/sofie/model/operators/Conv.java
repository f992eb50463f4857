package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * N-D convolution (cross-correlation, as ONNX Conv and every Keras backend but Theano compute it), 1 to 3 spatial
 * axes, in either {@link Layout}. The kernel is in Keras layout {@code (k..., C_in / groups, C_out)}; output channel
 * block {@code g} of {@code groups} reads input channel block {@code g}. A depthwise convolution is the case
 * {@code C_in / groups == 1}. Bias {@code (C_out)} is optional and an activation may be fused.
 *
 * <p>Channels-last stride-1 depthwise convolutions run on {@link DepthwiseRows}, other convolutions with enough
 * output positions on {@link PlanarConvolution}. The direct kernel, for the rest, visits each output position once,
 * accumulating all its output channels in a contiguous row:
 * {@code acc[:] += x[pos', ci] * W[tap, ci, :]} over the taps that land inside the input, so the innermost loop runs
 * over contiguous output channels with no reduction. In channels-last layout the row is the output itself; in
 * channels-first layout it is a session scratch row written out (with the activation) when the position is done.
 * Input channels are taken four at a time, as in {@link Gemm}.
 */
public final class Conv extends ROperator implements ActivationFusable {
    private static final int UNROLL = 4;

    /** A global pool folded into the convolution: its output is then one value per channel (C_out). */
    public enum Pooling {
        NONE, AVERAGE, MAX
    }

    private final Layout layout;
    /** The output's layout: the input's, except inside a chain kept in planes (see {@link #withLayouts}). */
    private final Layout outputLayout;
    private final Window window;
    private final int groups;
    private final String kernel;
    private final String bias;
    private final Activation activation;
    private final Pooling pooling;

    /** @param bias the bias weight, or null for none */
    public Conv(String name, String input, String output, Layout layout, Window window, int groups, String kernel,
            String bias, Activation activation) {
        this(name, input, output, layout, layout, window, groups, kernel, bias, activation, Pooling.NONE);
    }

    private Conv(String name, String input, String output, Layout layout, Layout outputLayout, Window window,
            int groups, String kernel, String bias, Activation activation, Pooling pooling) {
        super(name, List.of(input), List.of(output));
        if (groups < 1) {
            throw new ModelException("Conv " + name + ": groups must be at least 1, not " + groups);
        }
        this.layout = layout;
        this.outputLayout = outputLayout;
        this.window = window;
        this.groups = groups;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
        this.pooling = pooling;
    }

    @Override
    public String opType() {
        return "Conv";
    }

    /** The input's layout. */
    public Layout layout() {
        return layout;
    }

    public Layout outputLayout() {
        return outputLayout;
    }

    public Window window() {
        return window;
    }

    public int groups() {
        return groups;
    }

    public String kernel() {
        return kernel;
    }

    /** The bias weight's name, or null. */
    public String bias() {
        return bias;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public Conv withActivation(Activation fused, String output) {
        return new Conv(name(), inputs().get(0), output, layout, outputLayout, window, groups, kernel, bias, fused,
                pooling);
    }

    public Pooling pooling() {
        return pooling;
    }

    /**
     * The convolution followed by a global pool over all its output positions, writing {@code output} (C_out) and
     * never the positions themselves. Only the {@link PlanarConvolution} kernel pools, so this one must run on it.
     */
    public Conv withGlobalPool(Pooling kind, String output) {
        return new Conv(name(), inputs().get(0), output, layout, outputLayout, window, groups, kernel, bias,
                activation, kind);
    }

    /**
     * The same convolution reading and writing other layouts. Only the {@link PlanarConvolution} kernel converts
     * between layouts (it repacks the input into planes anyway), so a convolution whose layouts differ must run on it.
     */
    public Conv withLayouts(Layout input, Layout output) {
        return new Conv(name(), inputs().get(0), outputs().get(0), input, output, window, groups, kernel, bias,
                activation, pooling);
    }

    /** The same convolution with other weights (for folding passes). */
    public Conv withWeights(String newKernel, String newBias) {
        return new Conv(name(), inputs().get(0), outputs().get(0), layout, outputLayout, window, groups, newKernel,
                newBias, activation, pooling);
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

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        int r = window.rank();
        layout.requireRank(x, r, "Conv " + name());
        Shape w = weights.weight(kernel).shape();
        int cin = layout.channels(x);
        boolean ok = w.rank() == r + 2 && w.dim(r) * groups == cin && w.dim(r + 1) % groups == 0;
        for (int d = 0; ok && d < r; d++) {
            ok = w.dim(d) == window.kernel(d);
        }
        if (!ok) {
            throw new ModelException("Conv " + name() + ": kernel " + w + " does not match input " + x + " ("
                    + layout + ", " + groups + " group(s), window " + Arrays.toString(window.kernel()) + ")");
        }
        int cout = w.dim(r + 1);
        if (bias != null && !weights.weight(bias).shape().equals(Shape.of(cout))) {
            throw new ModelException("Conv " + name() + ": bias " + weights.weight(bias).shape()
                    + " does not match " + cout + " output channels");
        }
        Shape y = outputLayout.shape(window.outputSize(layout.spatial(x)), cout);
        return List.of(pooling == Pooling.NONE ? y : Shape.of(cout));
    }

    /**
     * Whether this convolution runs on the {@link PlanarConvolution} kernel for these shapes: outputs with enough
     * positions per sample to fill long vectorised rows, and not a depthwise convolution {@link DepthwiseRows} takes.
     */
    public boolean runsPlanar(Shape input, Shape output) {
        Shape y = convolved(input, output);
        return (layout != outputLayout || pooling != Pooling.NONE
                || !new DepthwiseRows(window, layout, groups, input, y).suits())
                && new PlanarConvolution(window, layout, outputLayout, groups, input, y).suits();
    }

    /** The convolution's output before any folded pool. */
    private Shape convolved(Shape input, Shape output) {
        return pooling == Pooling.NONE ? output
                : outputLayout.shape(window.outputSize(layout.spatial(input)), output.dim(0));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xs = code.inShape(0);
        Shape ys = code.outShape(0);
        PlanarConvolution planar = new PlanarConvolution(window, layout, outputLayout, groups, xs,
                convolved(xs, ys));
        if (layout != outputLayout || pooling != Pooling.NONE) {
            if (!planar.suits()) {
                throw new IllegalStateException("Conv " + name() + " converts layouts or pools but is not planar");
            }
            planar.emit(code, kernel, bias, activation, pooling);
            return;
        }
        DepthwiseRows rows = new DepthwiseRows(window, layout, groups, xs, ys);
        if (rows.suits()) {
            rows.emit(code, kernel, bias, activation);
            return;
        }
        if (planar.suits()) {
            planar.emit(code, kernel, bias, activation, pooling);
            return;
        }
        int[] in = layout.spatial(xs);
        int[] out = layout.spatial(ys);
        int cin = layout.channels(xs);
        int cout = layout.channels(ys);
        int cinGroup = cin / groups;
        int coutGroup = cout / groups;
        boolean last = layout == Layout.CHANNELS_LAST;
        int inPositions = xs.size() / cin;
        int outPositions = ys.size() / cout;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", code.weight(kernel));
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        String acc = last ? y : code.scratch(0, cout);
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
        loops.openForwardTaps(window, in, out, window.padBegin(in), true);
        // x[ip, c] is at xo + c * cs
        b.addStatement("final int xo = xb + ip$L", last ? " * " + cin : "");
        String cs = last ? "" : " * " + inPositions;
        b.addStatement("final int wo = tap * $L", cinGroup * cout);
        if (cinGroup == 1 && groups == cin) {
            emitDepthwise(b, x, acc, cs, cin, coutGroup);
        } else {
            if (groups > 1) {
                b.beginControlFlow("for (int g = 0; g < $L; g++)", groups);
            }
            String gOut = groups > 1 ? " + g * " + coutGroup : "";
            b.addStatement("final int ar = ao$L", gOut);
            b.addStatement("int ci = 0");
            if (cinGroup >= UNROLL) {
                // Four input channels per pass over the output row: a quarter of the loads and stores of acc.
                b.beginControlFlow("for (; ci + $L < $L; ci += $L)", UNROLL - 1, cinGroup, UNROLL);
                b.addStatement("final float a0 = $L[$L], a1 = $L[$L], a2 = $L[$L], a3 = $L[$L]",
                        x, inputIndex(cinGroup, cs, 0), x, inputIndex(cinGroup, cs, 1),
                        x, inputIndex(cinGroup, cs, 2), x, inputIndex(cinGroup, cs, 3));
                b.addStatement("final int w0 = wo + ci * $L$L, w1 = w0 + $L, w2 = w1 + $L, w3 = w2 + $L",
                        cout, gOut, cout, cout, cout);
                b.beginControlFlow("for (int co = 0; co < $L; co++)", coutGroup);
                b.addStatement("$L[ar + co] += a0 * w[w0 + co] + a1 * w[w1 + co] + a2 * w[w2 + co] + a3 * w[w3 + co]",
                        acc);
                b.endControlFlow();
                b.endControlFlow();
            }
            b.beginControlFlow("for (; ci < $L; ci++)", cinGroup);
            b.addStatement("final float a = $L[$L]", x, inputIndex(cinGroup, cs, 0));
            b.addStatement("final int wr = wo + ci * $L$L", cout, gOut);
            b.beginControlFlow("for (int co = 0; co < $L; co++)", coutGroup);
            b.addStatement("$L[ar + co] += a * w[wr + co]", acc);
            b.endControlFlow();
            b.endControlFlow();
            if (groups > 1) {
                b.endControlFlow();
            }
        }
        loops.closeTaps();
        emitStore(code, b, acc, y, cout, outPositions, last, activation);
        loops.closeOutputs();
        b.endControlFlow();
    }

    /** The index of input channel {@code ci + offset} of group g at input position xo. */
    private String inputIndex(int cinGroup, String cs, int offset) {
        String channel = (groups > 1 ? "g * " + cinGroup + " + " : "") + "ci" + (offset == 0 ? "" : " + " + offset);
        return cs.isEmpty() ? "xo + " + channel : "xo + (" + channel + ")" + cs;
    }

    /** One input channel per group: output channel {@code c * m + j} reads input channel c only. */
    private static void emitDepthwise(CodeBlock.Builder b, String x, String acc, String cs, int cin, int multiplier) {
        if (multiplier == 1) {
            b.beginControlFlow("for (int c = 0; c < $L; c++)", cin);
            b.addStatement("$L[ao + c] += $L[xo + c$L] * w[wo + c]", acc, x, cs);
            b.endControlFlow();
            return;
        }
        b.beginControlFlow("for (int c = 0; c < $L; c++)", cin);
        b.addStatement("final float a = $L[xo + c$L]", x, cs);
        b.addStatement("final int r = c * $L", multiplier);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", multiplier);
        b.addStatement("$L[ao + r + j] += a * w[wo + r + j]", acc);
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * Finishes one output position whose channels sit in {@code acc[ao .. ao + channels)}: applies the activation in
     * place (channels-last, where acc is the output) or writes the channels out with their stride (channels-first).
     */
    static void emitStore(OperatorCode code, CodeBlock.Builder b, String acc, String y, int channels,
            int outPositions, boolean channelsLast, Activation activation) {
        if (channelsLast) {
            if (!activation.isIdentity()) {
                b.beginControlFlow("for (int j = ao, end = ao + $L; j < end; j++)", channels);
                b.addStatement("final float v = $L[j]", acc);
                b.addStatement("$L[j] = $L", y, activation.apply("v", code));
                b.endControlFlow();
            }
            return;
        }
        b.beginControlFlow("for (int j = 0; j < $L; j++)", channels);
        b.addStatement("final float v = $L[j]", acc);
        b.addStatement("$L[yb + j * $L + op] = $L", y, outPositions, activation.apply("v", code));
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Conv " + window + (groups > 1 ? ", " + groups + " groups" : "") + ", " + layout
                + (outputLayout == layout ? "" : " -> " + outputLayout)
                + (activation.isIdentity() ? "" : " + " + activation)
                + (pooling == Pooling.NONE ? "" : " + global " + pooling.name().toLowerCase(Locale.ROOT) + " pool");
    }
}
