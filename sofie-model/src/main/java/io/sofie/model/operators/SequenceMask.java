package io.sofie.model.operators;

import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Keras's sequence mask: for input {@code (T)} the mask is {@code x != value} per step (Embedding
 * {@code mask_zero}); for input {@code (T, F)} a step is kept when any of its features differs from {@code value}
 * (Masking). Output 0 is the mask {@code (T)} as 1 / 0; an optional output 1 is the input with masked steps zeroed,
 * which is what the Masking layer returns.
 */
public final class SequenceMask extends ROperator {
    private final float value;

    public SequenceMask(String name, String input, List<String> outputs, float value) {
        super(name, List.of(input), outputs);
        this.value = value;
        if (outputs.isEmpty() || outputs.size() > 2) {
            throw new ModelException("SequenceMask " + name + " has one or two outputs");
        }
    }

    @Override
    public String opType() {
        return "SequenceMask";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        if (x.rank() < 1 || x.rank() > 2) {
            throw new ModelException("SequenceMask " + name() + " needs input (timesteps) or (timesteps, features), "
                    + "got " + x);
        }
        return outputs().size() == 1 ? List.of(Shape.of(x.dim(0))) : List.of(Shape.of(x.dim(0)), x);
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int features = x.rank() == 2 ? x.dim(1) : 1;
        String in = code.in(0);
        var b = code.body();
        b.beginControlFlow("for (int i = 0, end = $L * $L; i < end; i++)", code.batch(), x.dim(0));
        b.addStatement("boolean keep = false");
        b.beginControlFlow("for (int f = i * $L, fe = f + $L; f < fe; f++)", features, features);
        b.addStatement("keep |= $L[f] != $L", in, Activation.f(value));
        b.endControlFlow();
        b.addStatement("$L[i] = keep ? 1f : 0f", code.out(0));
        if (outputs().size() == 2) {
            b.beginControlFlow("for (int f = i * $L, fe = f + $L; f < fe; f++)", features, features);
            b.addStatement("$L[f] = keep ? $L[f] : 0f", code.out(1), in);
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "SequenceMask != " + value;
    }
}
