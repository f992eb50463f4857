package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Joins any number of inputs along one per-sample axis (ONNX Concat; Keras Concatenate and Merge concat). All other
 * axes must agree. Each input contributes one contiguous block per outer index, copied with arraycopy.
 */
public final class Concat extends ROperator {
    private final int axis;

    /** @param axis a per-sample axis, negative counting from the end */
    public Concat(String name, List<String> inputs, String output, int axis) {
        super(name, inputs, List.of(output));
        this.axis = axis;
    }

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        if (inputShapes.isEmpty()) {
            throw new ModelException("Concat " + name() + " has no inputs");
        }
        Shape first = inputShapes.get(0);
        int a = first.axis(axis);
        int total = 0;
        for (Shape s : inputShapes) {
            boolean ok = s.rank() == first.rank();
            for (int d = 0; ok && d < s.rank(); d++) {
                ok = d == a || s.dim(d) == first.dim(d);
            }
            if (!ok) {
                throw new ModelException("Concat " + name() + ": inputs " + inputShapes
                        + " differ outside the concatenation axis " + axis);
            }
            total = Math.addExact(total, s.dim(a));
        }
        return List.of(first.withDim(a, total));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape out = code.outShape(0);
        int a = out.axis(axis);
        int outer = out.size(0, a);
        int inner = out.size(a + 1, out.rank());
        int outBlock = out.dim(a) * inner;
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int o = 0, end = $L * $L; o < end; o++)", code.batch(), outer);
        b.addStatement("final int yo = o * $L", outBlock);
        int offset = 0;
        for (int i = 0; i < inputs().size(); i++) {
            int block = code.inShape(i).dim(a) * inner;
            if (block == 0) {
                continue;
            }
            b.addStatement("System.arraycopy($L, o * $L, $L, yo + $L, $L)", code.in(i), block, code.out(0), offset,
                    block);
            offset += block;
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Concat(axis " + axis + ")";
    }
}
