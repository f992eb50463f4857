package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Concatenation of any number of inputs along one axis; all other axes must agree. Each input contributes one
 * contiguous block per outer position, copied with {@code System.arraycopy}.
 */
public final class Concat extends ROperator {
    private final int axis;

    /** @param axis an axis of the per-sample shape, negative counting from the end */
    public Concat(String name, List<String> inputs, String output, int axis) {
        super(name, inputs, List.of(output));
        if (inputs.isEmpty()) {
            throw new ModelException("Concat " + name + " needs at least one input");
        }
        this.axis = axis;
    }

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape first = inputShapes.get(0);
        int a = first.axis(axis);
        int total = 0;
        for (Shape s : inputShapes) {
            boolean ok = s.rank() == first.rank();
            for (int i = 0; ok && i < s.rank(); i++) {
                ok = i == a || s.dim(i) == first.dim(i);
            }
            if (!ok) {
                throw new ModelException("Concat " + name() + ": inputs " + inputShapes + " differ on an axis other "
                        + "than the concatenation axis " + axis);
            }
            total += s.dim(a);
        }
        return List.of(first.withDim(a, total));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape first = code.inShape(0);
        int a = first.axis(axis);
        int outer = first.size(0, a);
        int inner = first.size(a + 1, first.rank());
        int outBlock = code.outShape(0).dim(a) * inner;
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int o = 0, outer = $L * $L; o < outer; o++)", code.batch(), outer);
        int offset = 0;
        for (int i = 0; i < inputs().size(); i++) {
            int block = code.inShape(i).dim(a) * inner;
            if (block > 0) {
                b.addStatement("System.arraycopy($L, o * $L, $L, o * $L$L, $L)",
                        code.in(i), block, code.out(0), outBlock, offset == 0 ? "" : " + " + offset, block);
            }
            offset += block;
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Concat(axis " + axis + ")";
    }
}
