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
 * <p>The emitted kernel packs W at generation time into column panels of {@code panel} columns, so that a panel
 * ({@code K x panel} floats) stays in cache while every row of the batch streams through it. The inner loop runs over
 * contiguous columns with no reduction, which C2 vectorises; K is unrolled by four to cut loads and stores of Y.
 */
public final class Gemm extends ROperator implements ActivationFusable {
    /** Keep a packed panel within about 256 KB so it stays in L2 across the rows of a batch. */
    private static final int PANEL_BYTES = 256 * 1024;
    private static final int UNROLL = 4;

    private final String kernel;
    private final String bias;
    private final Activation activation;

    /** @param bias the bias weight, or null for none */
    public Gemm(String name, String input, String output, String kernel, String bias, Activation activation) {
        super(name, List.of(input), List.of(output));
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public Gemm withActivation(Activation fused, String output) {
        return new Gemm(name(), inputs().get(0), output, kernel, bias, fused);
    }

    public Gemm withActivation(Activation fused) {
        return new Gemm(name(), inputs().get(0), outputs().get(0), kernel, bias, fused);
    }

    /** The same operator writing to another tensor, for fusion passes that drop the tensor in between. */
    public Gemm withOutput(String output) {
        return new Gemm(name(), inputs().get(0), output, kernel, bias, activation);
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
        int panel = panelWidth(k, m);
        CodeBlock w = code.constant("panels", pack(codeWeight(code), k, m, panel));
        String in = code.in(0);
        String out = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", w);
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        b.addStatement("final int rows = $L * $L", code.batch(), rowsPerSample);
        b.beginControlFlow("for (int p = 0; p < $L; p += $L)", m, panel);
        b.addStatement("final int width = Math.min($L, $L - p)", panel, m);
        b.addStatement("final int panelBase = p * $L", k);
        b.beginControlFlow("for (int r = 0; r < rows; r++)");
        b.addStatement("final int xo = r * $L", k);
        b.addStatement("final int yo = r * $L + p", m);
        if (bias != null) {
            b.addStatement("System.arraycopy(bias, p, $L, yo, width)", out);
        } else {
            b.addStatement("java.util.Arrays.fill($L, yo, yo + width, 0f)", out);
        }
        b.addStatement("int i = 0");
        b.beginControlFlow("for (; i + $L <= $L; i += $L)", UNROLL - 1, k - 1, UNROLL);
        b.addStatement("final float a0 = $L[xo + i], a1 = $L[xo + i + 1], a2 = $L[xo + i + 2], a3 = $L[xo + i + 3]",
                in, in, in, in);
        b.addStatement("final int w0 = panelBase + i * width, w1 = w0 + width, w2 = w1 + width, w3 = w2 + width");
        b.beginControlFlow("for (int j = 0; j < width; j++)");
        b.addStatement("$L[yo + j] += a0 * w[w0 + j] + a1 * w[w1 + j] + a2 * w[w2 + j] + a3 * w[w3 + j]", out);
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("for (; i < $L; i++)", k);
        b.addStatement("final float a = $L[xo + i]", in);
        b.addStatement("final int wi = panelBase + i * width");
        b.beginControlFlow("for (int j = 0; j < width; j++)");
        b.addStatement("$L[yo + j] += a * w[wi + j]", out);
        b.endControlFlow();
        b.endControlFlow();
        if (!activation.isIdentity()) {
            b.beginControlFlow("for (int j = yo, end = yo + width; j < end; j++)");
            b.addStatement("final float v = $L[j]", out);
            b.addStatement("$L[j] = $L", out, activation.apply("v", code));
            b.endControlFlow();
        }
        b.endControlFlow();
        b.endControlFlow();
    }

    private float[] codeWeight(OperatorCode code) {
        return code.weightData(kernel);
    }

    /** Columns per panel: as many as keep K x panel floats within PANEL_BYTES, a multiple of 16, at most M. */
    static int panelWidth(int k, int m) {
        int fit = PANEL_BYTES / (4 * Math.max(1, k));
        int width = Math.max(16, fit - fit % 16);
        return Math.min(width, m);
    }

    /** Reorders W (K, M) into panels: panel p holds columns [p, p + width) as a (K, width) row-major block. */
    static float[] pack(float[] w, int k, int m, int panel) {
        float[] packed = new float[w.length];
        int pos = 0;
        for (int p = 0; p < m; p += panel) {
            int width = Math.min(panel, m - p);
            for (int i = 0; i < k; i++) {
                System.arraycopy(w, i * m + p, packed, pos, width);
                pos += width;
            }
        }
        return packed;
    }

    @Override
    public String describe() {
        return "Gemm" + (activation.isIdentity() ? "" : " + " + activation);
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
