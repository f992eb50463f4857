package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * Repeats the input along each per-sample axis (ONNX Tile without the batch axis): output dim {@code i} is input dim
 * {@code i} times {@code repeats[i]}, and output element {@code [j..]} is input element {@code [j mod dim..]}. Keras
 * RepeatVector is a Reshape to {@code (1, features)} followed by Tile {@code (n, 1)}. Rows of the last axis are
 * copied whole.
 */
public final class Tile extends ROperator {
    private final int[] repeats;

    public Tile(String name, String input, String output, int[] repeats) {
        super(name, List.of(input), List.of(output));
        this.repeats = repeats.clone();
    }

    @Override
    public String opType() {
        return "Tile";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape in = inputShapes.get(0);
        if (in.rank() == 0 || repeats.length != in.rank()) {
            throw new ModelException("Tile " + name() + ": repeats " + Arrays.toString(repeats)
                    + " do not match input " + in);
        }
        int[] out = new int[repeats.length];
        for (int i = 0; i < out.length; i++) {
            if (repeats[i] < 1) {
                throw new ModelException("Tile " + name() + ": repeats must be at least 1, got "
                        + Arrays.toString(repeats));
            }
            out[i] = Math.multiplyExact(in.dim(i), repeats[i]);
        }
        return List.of(Shape.of(out));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape in = code.inShape(0);
        Shape out = code.outShape(0);
        int rank = in.rank();
        int row = in.dim(rank - 1);
        CodeBlock.Builder b = code.body();
        String x = code.in(0);
        String y = code.out(0);
        b.addStatement("int o = 0");
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.addStatement("final int xs = s * $L", in.size());
        StringBuilder offset = new StringBuilder("xs");
        for (int i = 0; i < rank - 1; i++) {
            b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", i, i, out.dim(i), i);
            offset.append(" + (i").append(i).append(" % ").append(in.dim(i)).append(") * ")
                    .append(in.size(i + 1, rank));
        }
        b.beginControlFlow("for (int r = 0; r < $L; r++)", repeats[rank - 1]);
        b.addStatement("System.arraycopy($L, $L, $L, o, $L)", x, offset, y, row);
        b.addStatement("o += $L", row);
        b.endControlFlow();
        for (int i = 0; i < rank - 1; i++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Tile" + Arrays.toString(repeats);
    }
}
