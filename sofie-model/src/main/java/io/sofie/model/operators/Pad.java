package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * Constant zero padding of the per-sample axes (ONNX Pad, mode constant, value 0): Keras ZeroPadding1D/2D/3D. The
 * kernel clears the output and copies each contiguous input row into place.
 */
public final class Pad extends ROperator {
    private final int[] padBegin;
    private final int[] padEnd;

    /** Pads per per-sample axis (batch excluded). */
    public Pad(String name, String input, String output, int[] padBegin, int[] padEnd) {
        super(name, List.of(input), List.of(output));
        if (padBegin.length != padEnd.length || Arrays.stream(padBegin).anyMatch(p -> p < 0)
                || Arrays.stream(padEnd).anyMatch(p -> p < 0)) {
            throw new ModelException("Pad " + name + ": invalid pads " + Arrays.toString(padBegin) + " / "
                    + Arrays.toString(padEnd));
        }
        this.padBegin = padBegin.clone();
        this.padEnd = padEnd.clone();
    }

    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        if (x.rank() != padBegin.length) {
            throw new ModelException("Pad " + name() + ": pads for " + padBegin.length + " axes, input " + x);
        }
        int[] d = x.dims();
        for (int a = 0; a < d.length; a++) {
            d[a] += padBegin[a] + padEnd[a];
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
        b.addStatement("java.util.Arrays.fill($L, 0, $L * $L, 0f)", y, code.batch(), code.outShape(0).size());
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        for (int a = 0; a < r - 1; a++) {
            b.beginControlFlow("for (int a$L = 0; a$L < $L; a$L++)", a, a, in[a], a);
        }
        StringBuilder xo = new StringBuilder("sample");
        StringBuilder yo = new StringBuilder("sample");
        for (int a = 0; a < r; a++) {
            String idx = a < r - 1 ? "a" + a : "0";
            xo.insert(0, "(").append(") * ").append(in[a]).append(" + ").append(idx);
            yo.insert(0, "(").append(") * ").append(out[a]).append(" + ").append(idx)
                    .append(padBegin[a] == 0 ? "" : " + " + padBegin[a]);
        }
        b.addStatement("System.arraycopy($L, $L, $L, $L, $L)", x, xo, y, yo, in[r - 1]);
        for (int a = 0; a < r - 1; a++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Pad " + Arrays.toString(padBegin) + " / " + Arrays.toString(padEnd);
    }
}
