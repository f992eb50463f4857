package io.sofie.model.operators;

import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Sparsemax along one axis exactly as Keras 3 (up to at least 3.11) computes it, which is not the textbook
 * projection onto the simplex (Keras issue 23425): with z sorted descending and c its running sums, the support is
 * every rank r with {@code z_r - (c_r - 1) / r > 0}, k its size, and the threshold is
 * {@code tau = (sum of c_r over the support - 1) / k} (the sum of the running sums, where the textbook takes the last
 * one); the output is {@code max(x - tau, 0)}. Arithmetic follows Keras's float32 steps: running sums accumulated in
 * double and rounded (as torch's CPU cumsum does), the rest in float.
 */
public final class Sparsemax extends ROperator {
    private final int axis;

    /** @param axis an axis of the per-sample shape, negative counting from the end */
    public Sparsemax(String name, String input, String output, int axis) {
        super(name, List.of(input), List.of(output));
        this.axis = axis;
    }

    @Override
    public String opType() {
        return "Sparsemax";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        inputShapes.get(0).axis(axis);
        return List.of(inputShapes.get(0));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape s = code.inShape(0);
        int a = s.axis(axis);
        int outer = s.size(0, a);
        int len = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        String x = code.in(0);
        String y = code.out(0);
        String sorted = code.scratch(0, len);
        code.body()
                .beginControlFlow("for (int o = 0, outer = $L * $L; o < outer; o++)", code.batch(), outer)
                .beginControlFlow("for (int i = 0; i < $L; i++)", inner)
                .addStatement("final int base = o * $L + i", len * inner)
                .beginControlFlow("for (int j = 0; j < $L; j++)", len)
                .addStatement("$L[j] = $L[base + j * $L]", sorted, x, inner)
                .endControlFlow()
                .add("// ascending; ranks count from the end\n")
                .addStatement("java.util.Arrays.sort($L, 0, $L)", sorted, len)
                .addStatement("double running = 0.0")
                .addStatement("float supportSum = 0f")
                .addStatement("int k = 0")
                .beginControlFlow("for (int r = 1; r <= $L; r++)", len)
                .addStatement("final float z = $L[$L - r]", sorted, len)
                .addStatement("running += z")
                .addStatement("final float c = (float) running")
                .beginControlFlow("if (z - (c - 1f) / r > 0f)")
                .addStatement("k++")
                .addStatement("supportSum += c")
                .endControlFlow()
                .endControlFlow()
                .addStatement("final float tau = (supportSum - 1f) / k")
                .beginControlFlow("for (int j = 0; j < $L; j++)", len)
                .addStatement("$L[base + j * $L] = Math.max($L[base + j * $L] - tau, 0f)", y, inner, x, inner)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    @Override
    public String describe() {
        return "Sparsemax(axis " + axis + ")";
    }
}
