package io.sofie.model.operators;

import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Keras {@code ops.not_equal(x, c)} with a constant c (ONNX Not of Equal): 1 where x differs from c, else 0. Keras 3
 * functional configs use it to build masks they pass to recurrent layers.
 */
public final class NotEqual extends ROperator {
    private final float value;

    public NotEqual(String name, String input, String output, float value) {
        super(name, List.of(input), List.of(output));
        this.value = value;
    }

    @Override
    public String opType() {
        return "NotEqual";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        return List.of(inputShapes.get(0));
    }

    @Override
    public void emit(OperatorCode code) {
        code.body()
                .beginControlFlow("for (int i = 0, end = $L * $L; i < end; i++)", code.batch(), code.inShape(0).size())
                .addStatement("$L[i] = $L[i] != $L ? 1f : 0f", code.out(0), code.in(0), Activation.f(value))
                .endControlFlow();
    }

    @Override
    public String describe() {
        return "NotEqual " + value;
    }
}
