package io.sofie.model.operators;

import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * ONNX Gather on axis 0 of a constant table, Keras Embedding: each element of the input is a row index (a whole
 * number held in a float, truncated as Keras's cast to int does) and becomes that row. An index outside the table
 * throws IllegalArgumentException at run time.
 */
public final class Gather extends ROperator {
    private final String table;

    public Gather(String name, String indices, String output, String table) {
        super(name, List.of(indices), List.of(output));
        this.table = table;
    }

    @Override
    public String opType() {
        return "Gather";
    }

    @Override
    public List<String> weights() {
        return List.of(table);
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape t = weights.weight(table).shape();
        if (t.rank() != 2) {
            throw new ModelException("Gather " + name() + ": table " + t + " is not (rows, width)");
        }
        int[] in = inputShapes.get(0).dims();
        int[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = t.dim(1);
        return List.of(Shape.of(out));
    }

    @Override
    public void emit(OperatorCode code) {
        int width = code.outShape(0).dim(-1);
        int rows = width == 0 ? 0 : code.weightData(table).length / width;
        int count = code.inShape(0).size();
        code.body()
                .addStatement("final float[] table = $L", code.weight(table))
                .beginControlFlow("for (int i = 0, end = $L * $L; i < end; i++)", code.batch(), count)
                .addStatement("final float v = $L[i]", code.in(0))
                .beginControlFlow("if (!(v >= 0f && v < $Lf))", rows)
                .addStatement("throw new IllegalArgumentException($S + v + $S + (i / $L) + $S)",
                        name() + ": index ", " in sample ", count, " is outside the vocabulary [0, " + rows
                                + "); inputs must be whole numbers from 0 to " + (rows - 1))
                .endControlFlow()
                .addStatement("System.arraycopy(table, (int) v * $L, $L, i * $L, $L)", width, code.out(0), width, width)
                .endControlFlow();
    }

    @Override
    public String describe() {
        return "Gather rows of " + table;
    }
}
