package io.sofie.model.operators;

import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Gives a tensor a new per-sample shape holding the same elements in the same row-major order (Keras Reshape,
 * channels-last Flatten, the reshape inside RepeatVector). It moves no data: its output shares its input's buffer.
 */
public final class Reshape extends ROperator {
    private final Shape target;

    /** @param target the per-sample output shape; its size must equal the input's */
    public Reshape(String name, String input, String output, Shape target) {
        super(name, List.of(input), List.of(output));
        this.target = target;
    }

    public Shape target() {
        return target;
    }

    @Override
    public String opType() {
        return "Reshape";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape in = inputShapes.get(0);
        if (in.size() != target.size()) {
            throw new ModelException("Reshape " + name() + ": cannot reshape " + in + " (" + in.size()
                    + " elements) to " + target + " (" + target.size() + " elements)");
        }
        return List.of(target);
    }

    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public void emit(OperatorCode code) {
        // Aliasing: the emitter gives the output the input's storage and calls no method.
    }

    @Override
    public String describe() {
        return "Reshape to " + target;
    }
}
