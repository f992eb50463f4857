package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Unfolds a channels-last input into one row per output position of a convolution window: row {@code p} holds the
 * window's taps in kernel order, each tap's {@code C} channels in a row, zeros where the tap falls in the padding.
 * The output {@code (P, taps * C)} times a Keras kernel viewed as {@code (taps * C, C_out)} is the convolution, so
 * convolutions run on the {@link Gemm} kernel (see LowerConvToGemm).
 */
public final class Im2Col extends ROperator {
    private final Window window;

    public Im2Col(String name, String input, String output, Window window) {
        super(name, List.of(input), List.of(output));
        this.window = window;
    }

    @Override
    public String opType() {
        return "Im2Col";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Layout.CHANNELS_LAST.requireRank(x, window.rank(), "Im2Col " + name());
        int[] out = window.outputSize(Layout.CHANNELS_LAST.spatial(x));
        int positions = 1;
        for (int o : out) {
            positions = Math.multiplyExact(positions, o);
        }
        int row = Math.multiplyExact(window.taps(), Layout.CHANNELS_LAST.channels(x));
        if ((long) positions * row > Integer.MAX_VALUE - 8) {
            throw new ModelException("Im2Col " + name() + ": " + positions + " x " + row + " is too large");
        }
        return List.of(Shape.of(positions, row));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int[] in = Layout.CHANNELS_LAST.spatial(x);
        int[] out = window.outputSize(in);
        int[] pad = window.padBegin(in);
        int c = Layout.CHANNELS_LAST.channels(x);
        int r = in.length;
        String xs = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("int row = 0");
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.addStatement("final int xb = s * $L", x.size());
        for (int d = 0; d < r; d++) {
            b.beginControlFlow("for (int o$L = 0; o$L < $L; o$L++)", d, d, out[d], d);
        }
        int last = r - 1;
        // Along the last axis, undilated taps read consecutive cells, and in channels-last layout their channels are
        // one run of kernel * C floats: one copy where the run lies inside the input, tap by tap at the borders.
        boolean runs = window.dilation(last) == 1;
        int taps = runs ? last : r;
        CodeBlock.Builder inside = CodeBlock.builder();
        for (int d = 0; d < taps; d++) {
            b.beginControlFlow("for (int k$L = 0; k$L < $L; k$L++)", d, d, window.kernel(d), d);
            b.addStatement("final int i$L = o$L * $L + k$L * $L - $L", d, d, window.stride(d), d, window.dilation(d),
                    pad[d]);
            inside.add(d == 0 ? "" : " && ").add("i$L >= 0 && i$L < $L", d, d, in[d]);
        }
        if (runs) {
            int k = window.kernel(last);
            b.addStatement("final int start = o$L * $L - $L", last, window.stride(last), pad[last]);
            CodeBlock whole = CodeBlock.of("$L$Lstart >= 0 && start + $L <= $L", inside.build(),
                    last == 0 ? "" : " && ", k, in[last]);
            b.beginControlFlow("if ($L)", whole);
            b.addStatement("final int i$L = start", last);
            b.addStatement("System.arraycopy($L, xb + ($L) * $L, $L, row, $L)", xs, offsetSoFar(last, in), c, y,
                    k * c);
            b.addStatement("row += $L", k * c);
            b.nextControlFlow("else");
            b.beginControlFlow("for (int k$L = 0; k$L < $L; k$L++)", last, last, k, last);
            b.addStatement("final int i$L = start + k$L", last, last);
            inside.add(last == 0 ? "" : " && ").add("i$L >= 0 && i$L < $L", last, last, in[last]);
        }
        b.beginControlFlow("if ($L)", inside.build());
        b.addStatement("System.arraycopy($L, xb + ($L) * $L, $L, row, $L)", xs, offsetSoFar(r - 1, in), c, y, c);
        b.nextControlFlow("else");
        b.addStatement("java.util.Arrays.fill($L, row, row + $L, 0f)", y, c);
        b.endControlFlow();
        b.addStatement("row += $L", c);
        if (runs) {
            b.endControlFlow();
            b.endControlFlow();
        }
        for (int d = 0; d < r + taps; d++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    /** The flat spatial index of input cell (i0, ..., id): ((i0 * in1 + i1) * in2 + i2). */
    private static CodeBlock offsetSoFar(int d, int[] in) {
        CodeBlock e = CodeBlock.of("i0");
        for (int a = 1; a <= d; a++) {
            e = CodeBlock.of("($L) * $L + i$L", e, in[a], a);
        }
        return e;
    }

    @Override
    public String describe() {
        return "Im2Col " + window;
    }
}
