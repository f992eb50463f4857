package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Shared body of {@link MaxPool} and {@link AveragePool}: a window slid over the spatial axes of each channel
 * independently. Like {@link Conv}, the kernel visits each output position once and updates all its channels in a
 * contiguous row (the output itself in channels-last layout, a scratch row in channels-first layout). Cells in the
 * padding take no part: a max ignores them and an average divides by the number of real cells, as Keras does.
 */
public abstract class WindowPool extends ROperator {
    private final Layout layout;
    private final Window window;

    WindowPool(String name, String input, String output, Layout layout, Window window) {
        super(name, List.of(input), List.of(output));
        this.layout = layout;
        this.window = window;
    }

    public Layout layout() {
        return layout;
    }

    public Window window() {
        return window;
    }

    abstract boolean isMax();

    /** The same pooling over a tensor in the other layout. */
    public abstract WindowPool withLayout(Layout layout);

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        layout.requireRank(x, window.rank(), opType() + " " + name());
        return List.of(layout.shape(window.outputSize(layout.spatial(x)), layout.channels(x)));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xs = code.inShape(0);
        Shape ys = code.outShape(0);
        int[] in = layout.spatial(xs);
        int[] out = layout.spatial(ys);
        int c = layout.channels(xs);
        boolean last = layout == Layout.CHANNELS_LAST;
        String x = code.in(0);
        String y = code.out(0);
        if (!last && window.padding() == Window.Padding.VALID) {
            emitPlanes(code.body(), x, y, code.batch(), in, out, c);
            return;
        }
        String acc = last ? y : code.scratch(0, c);
        String cs = last ? "" : " * " + (xs.size() / c);
        boolean countTaps = !isMax() && window.padding() != Window.Padding.VALID;
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        b.addStatement("final int xb = sample * $L", xs.size());
        b.addStatement("final int yb = sample * $L", ys.size());
        WindowLoops loops = new WindowLoops(b);
        loops.openOutputs(out);
        b.addStatement("final int ao = $L", last ? "yb + op * " + c : "0");
        b.addStatement("java.util.Arrays.fill($L, ao, ao + $L, $L)", acc, c,
                isMax() ? "Float.NEGATIVE_INFINITY" : "0f");
        if (countTaps) {
            b.addStatement("int count = 0");
        }
        loops.openForwardTaps(window, in, out, window.padBegin(in), false);
        b.addStatement("final int xo = xb + ip$L", last ? " * " + c : "");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
        if (isMax()) {
            b.addStatement("$L[ao + j] = Math.max($L[ao + j], $L[xo + j$L])", acc, acc, x, cs);
        } else {
            b.addStatement("$L[ao + j] += $L[xo + j$L]", acc, x, cs);
        }
        b.endControlFlow();
        if (countTaps) {
            b.addStatement("count++");
        }
        loops.closeTaps();
        String divisor = isMax() ? null : countTaps ? "count" : window.taps() + "f";
        if (last) {
            if (divisor != null) {
                b.beginControlFlow("for (int j = ao, end = ao + $L; j < end; j++)", c);
                b.addStatement("$L[j] /= $L", y, divisor);
                b.endControlFlow();
            }
        } else {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
            b.addStatement("$L[yb + j * $L + op] = $L[j]$L", y, ys.size() / c, acc,
                    divisor == null ? "" : " / " + divisor);
            b.endControlFlow();
        }
        loops.closeOutputs();
        b.endControlFlow();
    }

    /**
     * Channels-first without padding: every window lies inside its plane, so each output is its taps at constant
     * offsets from the window's corner, read straight into one value (no row of partial results to update per tap).
     */
    private void emitPlanes(CodeBlock.Builder b, String x, String y, String batch, int[] in, int[] out, int c) {
        int rank = in.length;
        int[] inStride = new int[rank];
        int[] outStride = new int[rank];
        inStride[rank - 1] = 1;
        outStride[rank - 1] = 1;
        for (int d = rank - 2; d >= 0; d--) {
            inStride[d] = inStride[d + 1] * in[d + 1];
            outStride[d] = outStride[d + 1] * out[d + 1];
        }
        int inPlane = inStride[0] * in[0];
        int outPlane = outStride[0] * out[0];
        b.beginControlFlow("for (int plane = 0; plane < $L; plane++)", batch + " * " + c);
        b.addStatement("final int xb = plane * $L", inPlane);
        b.addStatement("final int yb = plane * $L", outPlane);
        StringBuilder xo = new StringBuilder("xb");
        StringBuilder yo = new StringBuilder("yb");
        for (int d = 0; d < rank; d++) {
            b.beginControlFlow("for (int o$L = 0; o$L < $L; o$L++)", d, d, out[d], d);
            int step = window.stride(d) * inStride[d];
            xo.append(" + o").append(d).append(step == 1 ? "" : " * " + step);
            yo.append(" + o").append(d).append(outStride[d] == 1 ? "" : " * " + outStride[d]);
        }
        b.addStatement("final int xo = $L", xo);
        String combine = isMax() ? "v = Math.max(v, $L[xo + $L])" : "v += $L[xo + $L]";
        for (int t = 0; t < window.taps(); t++) {
            int offset = 0;
            int rest = t;
            for (int d = rank - 1; d >= 0; d--) {
                offset += rest % window.kernel(d) * window.dilation(d) * inStride[d];
                rest /= window.kernel(d);
            }
            if (t == 0) {
                b.addStatement("float v = $L[xo$L]", x, offset == 0 ? "" : " + " + offset);
            } else {
                b.addStatement(combine, x, offset);
            }
        }
        b.addStatement("$L[$L] = v$L", y, yo, isMax() ? "" : " / " + window.taps() + "f");
        for (int d = 0; d <= rank; d++) {
            b.endControlFlow();
        }
    }

    @Override
    public String describe() {
        return opType() + " " + window + ", " + layout;
    }
}
