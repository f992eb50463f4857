package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * Permutes the per-sample axes: output axis {@code i} is input axis {@code perm[i]} (ONNX Transpose without the batch
 * axis, Keras Permute with 0-based dims). The output is written in order; trailing axes the permutation keeps in
 * place are copied as contiguous blocks.
 */
public final class Transpose extends ROperator {
    private final int[] perm;

    public Transpose(String name, String input, String output, int[] perm) {
        super(name, List.of(input), List.of(output));
        this.perm = perm.clone();
    }

    @Override
    public String opType() {
        return "Transpose";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape in = inputShapes.get(0);
        if (perm.length != in.rank()) {
            throw new ModelException("Transpose " + name() + ": permutation " + Arrays.toString(perm)
                    + " does not match input " + in);
        }
        boolean[] seen = new boolean[perm.length];
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length || seen[perm[i]]) {
                throw new ModelException("Transpose " + name() + ": " + Arrays.toString(perm)
                        + " is not a permutation of the axes of " + in);
            }
            seen[perm[i]] = true;
            out[i] = in.dim(perm[i]);
        }
        return List.of(Shape.of(out));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape in = code.inShape(0);
        Shape out = code.outShape(0);
        int rank = perm.length;
        // Trailing axes left in place form one contiguous block per copy.
        int kept = rank;
        while (kept > 0 && perm[kept - 1] == kept - 1) {
            kept--;
        }
        int block = in.size(kept, rank);
        int[] inStrides = new int[rank];
        for (int a = 0; a < rank; a++) {
            inStrides[a] = in.size(a + 1, rank);
        }
        CodeBlock.Builder b = code.body();
        String x = code.in(0);
        String y = code.out(0);
        b.addStatement("int o = 0");
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.addStatement("final int xs = s * $L", in.size());
        StringBuilder offset = new StringBuilder("xs");
        for (int i = 0; i < kept; i++) {
            b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", i, i, out.dim(i), i);
            offset.append(" + i").append(i).append(" * ").append(inStrides[perm[i]]);
        }
        if (block == 1) {
            b.addStatement("$L[o++] = $L[$L]", y, x, offset);
        } else {
            b.addStatement("System.arraycopy($L, $L, $L, o, $L)", x, offset, y, block);
            b.addStatement("o += $L", block);
        }
        for (int i = 0; i < kept; i++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Transpose" + Arrays.toString(perm);
    }
}
