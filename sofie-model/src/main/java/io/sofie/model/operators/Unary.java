package io.sofie.model.operators;

import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/** An elementwise activation (Relu, Sigmoid, Tanh, Elu, ...): one output of the input's shape. */
public final class Unary extends ROperator {
    private final Activation activation;

    public Unary(String name, String input, String output, Activation activation) {
        super(name, List.of(input), List.of(output));
        this.activation = activation;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String opType() {
        return activation.isIdentity() ? "Identity" : "Unary";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        return List.of(inputShapes.get(0));
    }

    @Override
    public boolean aliasesInput() {
        return activation.isIdentity();
    }

    @Override
    public void emit(OperatorCode code) {
        int size = code.inShape(0).size();
        code.body()
                .beginControlFlow("for (int i = 0, end = $L * $L; i < end; i++)", code.batch(), size)
                .addStatement("float v = $L[i]", code.in(0))
                .addStatement("$L[i] = $L", code.out(0), activation.apply("v", code))
                .endControlFlow();
    }

    @Override
    public String describe() {
        return activation.toString();
    }
}
