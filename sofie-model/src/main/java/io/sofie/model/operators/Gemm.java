package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Y = activation(X W + B)} over the last axis of X: Keras Dense. W is {@code (K, M)} row-major as Keras stores
 * it, B is {@code (M)} or absent. Leading per-sample axes are treated as more rows.
 *
 * <p>The loops are {@link ProductKernel}'s: W as one array per group of four rows, a block of
 * {@value ProductKernel#ROWS} X rows accumulated at once in one scratch array, inner loops that C2 vectorises. A
 * block's loops run in a helper method of their own (see {@link OperatorCode#helper}). A row's result does not depend
 * on the batch size or on the row's position in the batch, unless the Gemm skips zeros.
 *
 * <p>A Gemm whose input comes from a relu ({@link #withZeroSkipping}) skips the zero inputs of a row it computes
 * alone (batch 1, and the rows a batch leaves over after its blocks): it lists the row's non-zero inputs and reads
 * only their W rows, about half of W after a relu. At batch 1 reading W is the whole cost (from L3 once W passes the
 * L2 size). Grouping the non-zero inputs four at a time changes only the order of the sum, so such a row may differ
 * in its last bits from the same row computed in a block.
 */
public final class Gemm extends ROperator implements ActivationFusable {
    private final String kernel;
    private final String bias;
    private final Activation activation;
    private final boolean skipsZeros;

    /** @param bias the bias weight, or null for none */
    public Gemm(String name, String input, String output, String kernel, String bias, Activation activation) {
        this(name, input, output, kernel, bias, activation, false);
    }

    private Gemm(String name, String input, String output, String kernel, String bias, Activation activation,
            boolean skipsZeros) {
        super(name, List.of(input), List.of(output));
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
        this.skipsZeros = skipsZeros;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public Gemm withActivation(Activation fused, String output) {
        return new Gemm(name(), inputs().get(0), output, kernel, bias, fused, skipsZeros);
    }

    /** This Gemm skipping the zero inputs of rows it computes alone: for inputs that are mostly zeros. */
    public Gemm withZeroSkipping() {
        return new Gemm(name(), inputs().get(0), outputs().get(0), kernel, bias, activation, true);
    }

    public boolean skipsZeros() {
        return skipsZeros;
    }

    /**
     * Whether a Gemm with {@code outputs} outputs per row has a kernel that skips zero inputs: only wide ones do (see
     * {@link ProductKernel#accumulateNonZero}); a narrow W is small and cached, and listing the inputs cost more than it
     * saved (128 -> 10: 0.31 against 0.27 us; with the later, cheaper listing, mlp_small 1.18 against 1.14 us).
     */
    public static boolean skipsZerosAt(int outputs) {
        return outputs >= ProductKernel.WIDE;
    }

    @Override
    public String opType() {
        return "Gemm";
    }

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>();
        w.add(kernel);
        if (bias != null) {
            w.add(bias);
        }
        return w;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Shape w = weights.weight(kernel).shape();
        if (w.rank() != 2 || x.rank() < 1 || x.dim(-1) != w.dim(0)) {
            throw new ModelException("Gemm " + name() + ": input " + x + " does not match kernel " + w);
        }
        if (bias != null && !weights.weight(bias).shape().equals(Shape.of(w.dim(1)))) {
            throw new ModelException("Gemm " + name() + ": bias " + weights.weight(bias).shape()
                    + " does not match kernel " + w);
        }
        return List.of(x.withDim(-1, w.dim(1)));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int k = x.dim(-1);
        int m = code.outShape(0).dim(-1);
        int rowsPerSample = x.size() / k;
        int stride = ProductKernel.accumulatorStride(m);
        ProductKernel w = new ProductKernel(code, "", code.weightData(kernel), k, m);
        CodeBlock.Builder b = code.body();
        w.declare(b);
        String acc = code.scratch(0, ProductKernel.ROWS * stride);
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        b.addStatement("final int rows = $L * $L", code.batch(), rowsPerSample);
        b.addStatement("int r = 0");
        b.beginControlFlow("for (; r + $L <= rows; r += $L)", ProductKernel.ROWS, ProductKernel.ROWS);
        rowBlock(code, b, w, acc, ProductKernel.ROWS, stride);
        b.endControlFlow();
        b.beginControlFlow("for (; r < rows; r++)");
        rowBlock(code, b, w, acc, 1, stride);
        b.endControlFlow();
    }

    /** Rows {@code r .. r + count - 1} of Y, accumulated in {@code acc} at offsets 0, stride, 2 stride, ... */
    private void rowBlock(OperatorCode code, CodeBlock.Builder b, ProductKernel w, String acc, int count,
            int stride) {
        String in = code.in(0);
        String out = code.out(0);
        int m = w.m;
        for (int r = 0; r < count; r++) {
            b.addStatement("final int xo$L = (r + $L) * $L", r, r, w.k);
            if (bias != null) {
                b.addStatement("System.arraycopy(bias, 0, $L, $L, $L)", acc, r * stride, m);
            } else {
                b.addStatement("java.util.Arrays.fill($L, $L, $L, 0f)", acc, r * stride, r * stride + m);
            }
        }
        if (w.wide && count > 1) {
            // Measured on 128 x 128 at batch 64: 46 us with the loops below in this method, 37 us in a helper of their
            // own. A single row gains nothing from it, and narrow outputs lose.
            w.accumulateInHelper(code, b, "accumulateRows", in, acc, count, stride);
        } else if (skipsZeros && count == 1 && skipsZerosAt(w.m)) {
            w.accumulateNonZero(code, b, in, acc);
        } else {
            w.accumulate(b, in, acc, count, stride);
        }
        if (!activation.isIdentity()) {
            // Over the whole block including the padding between rows: one contiguous loop; the padding is never read.
            b.beginControlFlow("for (int j = 0; j < $L; j++)", (count - 1) * stride + m);
            b.addStatement("final float v = $L[j]", acc);
            b.addStatement("$L[j] = $L", acc, activation.apply("v", code));
            b.endControlFlow();
        }
        for (int r = 0; r < count; r++) {
            b.addStatement("System.arraycopy($L, $L, $L, (r + $L) * $L, $L)", acc, r * stride, out, r, m, m);
        }
    }

    @Override
    public String describe() {
        return "Gemm" + (activation.isIdentity() ? "" : " + " + activation)
                + (skipsZeros ? ", skipping zero inputs of single rows" : "");
    }

    /** The kernel weight's name. */
    public String kernel() {
        return kernel;
    }

    /** The bias weight's name, or null. */
    public String bias() {
        return bias;
    }
}
