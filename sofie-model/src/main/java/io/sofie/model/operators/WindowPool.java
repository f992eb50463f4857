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
abstract class WindowPool extends ROperator {
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

    @Override
    public String describe() {
        return opType() + " " + window + ", " + layout;
    }
}
