package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous box of the per-sample axes (ONNX Slice with step 1): {@code starts[a] .. ends[a]} on every axis a.
 * Keras Cropping1D/2D/3D. Each output row is one array copy.
 */
public final class Slice extends ROperator {
    private final int[] starts;
    private final int[] ends;

    /** Starts (inclusive) and ends (exclusive) per per-sample axis (batch excluded). */
    public Slice(String name, String input, String output, int[] starts, int[] ends) {
        super(name, List.of(input), List.of(output));
        if (starts.length != ends.length) {
            throw new ModelException("Slice " + name + ": starts and ends differ in length");
        }
        this.starts = starts.clone();
        this.ends = ends.clone();
    }

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        if (x.rank() != starts.length) {
            throw new ModelException("Slice " + name() + ": bounds for " + starts.length + " axes, input " + x);
        }
        int[] d = new int[starts.length];
        for (int a = 0; a < d.length; a++) {
            if (starts[a] < 0 || ends[a] > x.dim(a) || ends[a] <= starts[a]) {
                throw new ModelException("Slice " + name() + ": [" + starts[a] + ", " + ends[a] + ") on axis " + a
                        + " is empty or outside input " + x);
            }
            d[a] = ends[a] - starts[a];
        }
        return List.of(Shape.of(d));
    }

    @Override
    public void emit(OperatorCode code) {
        int[] in = code.inShape(0).dims();
        int[] out = code.outShape(0).dims();
        int r = in.length;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        for (int a = 0; a < r - 1; a++) {
            b.beginControlFlow("for (int a$L = 0; a$L < $L; a$L++)", a, a, out[a], a);
        }
        StringBuilder xo = new StringBuilder("sample");
        StringBuilder yo = new StringBuilder("sample");
        for (int a = 0; a < r; a++) {
            String idx = a < r - 1 ? "a" + a : "0";
            xo.insert(0, "(").append(") * ").append(in[a]).append(" + ").append(idx)
                    .append(starts[a] == 0 ? "" : " + " + starts[a]);
            yo.insert(0, "(").append(") * ").append(out[a]).append(" + ").append(idx);
        }
        b.addStatement("System.arraycopy($L, $L, $L, $L, $L)", x, xo, y, yo, out[r - 1]);
        for (int a = 0; a < r - 1; a++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Slice " + Arrays.toString(starts) + " .. " + Arrays.toString(ends);
    }
}
