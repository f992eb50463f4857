package io.sofie.model.operators;

import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Softmax or LogSoftmax along one axis, as Keras computes them: subtract the maximum, exponentiate, normalise (in
 * double, then rounded once).
 */
public final class Softmax extends ROperator {
    private final int axis;
    private final boolean log;

    /** @param axis an axis of the per-sample shape, negative counting from the end */
    public Softmax(String name, String input, String output, int axis, boolean log) {
        super(name, List.of(input), List.of(output));
        this.axis = axis;
        this.log = log;
    }

    @Override
    public String opType() {
        return log ? "LogSoftmax" : "Softmax";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        inputShapes.get(0).axis(axis);
        return List.of(inputShapes.get(0));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape s = code.inShape(0);
        int a = s.axis(axis);
        int outer = s.size(0, a);
        int len = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        String x = code.in(0);
        String y = code.out(0);
        code.body()
                .beginControlFlow("for (int o = 0, outer = $L * $L; o < outer; o++)", code.batch(), outer)
                .beginControlFlow("for (int i = 0; i < $L; i++)", inner)
                .addStatement("int base = o * $L + i", len * inner)
                .addStatement("float max = Float.NEGATIVE_INFINITY")
                .beginControlFlow("for (int k = 0; k < $L; k++)", len)
                .addStatement("max = Math.max(max, $L[base + k * $L])", x, inner)
                .endControlFlow()
                .addStatement("double sum = 0.0")
                .beginControlFlow("for (int k = 0; k < $L; k++)", len)
                .addStatement("sum += Math.exp((double) $L[base + k * $L] - max)", x, inner)
                .endControlFlow();
        if (log) {
            code.body()
                    .addStatement("double logSum = Math.log(sum)")
                    .beginControlFlow("for (int k = 0; k < $L; k++)", len)
                    .addStatement("$L[base + k * $L] = (float) ((double) $L[base + k * $L] - max - logSum)",
                            y, inner, x, inner)
                    .endControlFlow();
        } else {
            code.body()
                    .beginControlFlow("for (int k = 0; k < $L; k++)", len)
                    .addStatement("$L[base + k * $L] = (float) (Math.exp((double) $L[base + k * $L] - max) / sum)",
                            y, inner, x, inner)
                    .endControlFlow();
        }
        code.body().endControlFlow().endControlFlow();
    }

    @Override
    public String describe() {
        return opType() + "(axis " + axis + ")";
    }
}
