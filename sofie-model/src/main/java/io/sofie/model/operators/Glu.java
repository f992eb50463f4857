package io.sofie.model.operators;

import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import io.sofie.model.emit.SupportMethod;
import java.util.List;

/**
 * Gated linear unit (Keras {@code glu}): splits {@code axis} into halves a and b and computes {@code a * sigmoid(b)},
 * so the output has half the input's size on that axis.
 */
public final class Glu extends ROperator {
    private final int axis;

    /** @param axis an axis of the per-sample shape, negative counting from the end */
    public Glu(String name, String input, String output, int axis) {
        super(name, List.of(input), List.of(output));
        this.axis = axis;
    }

    @Override
    public String opType() {
        return "Glu";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        int a = x.axis(axis);
        if (x.dim(a) % 2 != 0) {
            throw new ModelException("Glu " + name() + ": axis " + axis + " of " + x
                    + " has an odd size; it must split into two halves");
        }
        return List.of(x.withDim(a, x.dim(a) / 2));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int a = x.axis(axis);
        int outer = x.size(0, a);
        // One half is a contiguous block of (dim / 2) * inner floats; b's block follows a's.
        int half = x.dim(a) / 2 * x.size(a + 1, x.rank());
        code.require(SupportMethod.EXP);
        code.body()
                .beginControlFlow("for (int o = 0, outer = $L * $L; o < outer; o++)", code.batch(), outer)
                .addStatement("final int xa = o * $L", 2 * half)
                .addStatement("final int xb = xa + $L", half)
                .addStatement("final int yo = o * $L", half)
                .beginControlFlow("for (int i = 0; i < $L; i++)", half)
                .addStatement("final float gate = (float) (1.0 / (1.0 + exp(-(double) $L[xb + i])))", code.in(0))
                .addStatement("$L[yo + i] = $L[xa + i] * gate", code.out(0), code.in(0))
                .endControlFlow()
                .endControlFlow();
    }

    @Override
    public String describe() {
        return "Glu(axis " + axis + ")";
    }
}
