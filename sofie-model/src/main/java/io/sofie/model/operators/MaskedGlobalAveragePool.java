package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * The mean over the time steps a Keras mask keeps, as Keras's GlobalAveragePooling1D computes it with a mask:
 * {@code sum_t x[t] * m[t] / sum_t m[t]} per channel. Input x is {@code (T, C)} (channels-last) or {@code (C, T)},
 * the mask {@code (T)} of ones and zeros; the output is {@code (C)}, or {@code (1, C)} / {@code (C, 1)} with keepDims.
 * A sample whose steps are all masked divides by zero, as Keras does.
 */
public final class MaskedGlobalAveragePool extends ROperator {
    private final Layout layout;
    private final boolean keepDims;

    public MaskedGlobalAveragePool(String name, String input, String mask, String output, Layout layout,
            boolean keepDims) {
        super(name, List.of(input, mask), List.of(output));
        this.layout = layout;
        this.keepDims = keepDims;
    }

    @Override
    public String opType() {
        return "MaskedGlobalAveragePool";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Shape m = inputShapes.get(1);
        if (x.rank() != 2) {
            throw new ModelException(opType() + " " + name() + ": input " + x + " is not (steps, channels)");
        }
        int c = layout.channels(x);
        int steps = x.size() / c;
        if (!m.equals(Shape.of(steps))) {
            throw new ModelException(opType() + " " + name() + ": mask " + m + " does not match input " + x);
        }
        if (!keepDims) {
            return List.of(Shape.of(c));
        }
        return List.of(layout.shape(new int[] {1}, c));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xs = code.inShape(0);
        int c = layout.channels(xs);
        int steps = xs.size() / c;
        boolean last = layout == Layout.CHANNELS_LAST;
        String x = code.in(0);
        String m = code.in(1);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        b.addStatement("final int xb = sample * $L", xs.size());
        b.addStatement("final int mb = sample * $L", steps);
        b.addStatement("final int yb = sample * $L", c);
        b.addStatement("float kept = 0f");
        b.addStatement("java.util.Arrays.fill($L, yb, yb + $L, 0f)", y, c);
        b.beginControlFlow("for (int t = 0; t < $L; t++)", steps);
        b.addStatement("final float w = $L[mb + t]", m);
        b.addStatement("kept += w");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
        b.addStatement("$L[yb + j] += $L[xb + $L] * w", y, x, last ? CodeBlock.of("t * $L + j", c)
                : CodeBlock.of("j * $L + t", steps));
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
        b.addStatement("$L[yb + j] /= kept", y);
        b.endControlFlow();
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return opType() + ", " + layout + (keepDims ? ", keepdims" : "");
    }
}
