package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * Shared body of {@link GlobalMaxPool} and {@link GlobalAveragePool}: one value per channel over all spatial
 * positions; the output is {@code (C)}, or with {@code keepDims} the input's rank with every spatial size 1.
 * Channels-last input is read row by row with a contiguous inner loop over channels.
 */
abstract class GlobalPool extends ROperator {
    private final Layout layout;
    private final boolean keepDims;

    GlobalPool(String name, String input, String output, Layout layout, boolean keepDims) {
        super(name, List.of(input), List.of(output));
        this.layout = layout;
        this.keepDims = keepDims;
    }

    abstract boolean isMax();

    public Layout layout() {
        return layout;
    }

    public boolean keepDims() {
        return keepDims;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        if (x.rank() < 2) {
            throw new ModelException(opType() + " " + name() + ": input " + x + " has no spatial axis");
        }
        int c = layout.channels(x);
        if (!keepDims) {
            return List.of(Shape.of(c));
        }
        int[] ones = new int[x.rank() - 1];
        Arrays.fill(ones, 1);
        return List.of(layout.shape(ones, c));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xs = code.inShape(0);
        int c = layout.channels(xs);
        int positions = xs.size() / c;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        b.addStatement("final int xb = sample * $L", xs.size());
        b.addStatement("final int yb = sample * $L", c);
        if (layout == Layout.CHANNELS_LAST) {
            if (isMax()) {
                b.addStatement("System.arraycopy($L, xb, $L, yb, $L)", x, y, c);
            } else {
                b.addStatement("java.util.Arrays.fill($L, yb, yb + $L, 0f)", y, c);
            }
            b.beginControlFlow("for (int p = $L; p < $L; p++)", isMax() ? 1 : 0, positions);
            b.addStatement("final int xo = xb + p * $L", c);
            b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
            if (isMax()) {
                b.addStatement("$L[yb + j] = Math.max($L[yb + j], $L[xo + j])", y, y, x);
            } else {
                b.addStatement("$L[yb + j] += $L[xo + j]", y, x);
            }
            b.endControlFlow();
            b.endControlFlow();
            if (!isMax()) {
                b.beginControlFlow("for (int j = yb, end = yb + $L; j < end; j++)", c);
                b.addStatement("$L[j] /= $Lf", y, positions);
                b.endControlFlow();
            }
        } else {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
            b.addStatement("final int xo = xb + j * $L", positions);
            b.addStatement("float v = $L[xo]", x);
            b.beginControlFlow("for (int p = 1; p < $L; p++)", positions);
            b.addStatement(isMax() ? "v = Math.max(v, $L[xo + p])" : "v += $L[xo + p]", x);
            b.endControlFlow();
            b.addStatement("$L[yb + j] = v$L", y, isMax() ? "" : " / " + positions + "f");
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return opType() + ", " + layout + (keepDims ? ", keepdims" : "");
    }
}
