package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * A convolution whose weights are not shared between output positions (Keras LocallyConnected1D/2D, its default
 * implementation 1), valid padding, 1 or 2 spatial axes, either {@link Layout}. The kernel is
 * {@code (P, E, F)}: for each of the P output positions (row-major) a patch of E = prod(kernel) * C_in inputs,
 * flattened as Keras slices it ({@code (k..., C_in)} channels-last, {@code (C_in, k...)} channels-first), times F
 * filters. The optional bias holds one value per output element, added in output memory order, as Keras's
 * {@code bias_add} does for its (P..., F) bias in either layout.
 *
 * <p>The emitted loop visits each output position once and accumulates its F filters in a contiguous scratch row.
 */
public final class LocallyConnected extends ROperator implements ActivationFusable {
    private final Layout layout;
    private final int[] kernelSize;
    private final int[] strides;
    private final String kernel;
    private final String bias;
    private final Activation activation;

    /** @param bias the bias weight (one value per output element), or null */
    public LocallyConnected(String name, String input, String output, Layout layout, int[] kernelSize, int[] strides,
            String kernel, String bias, Activation activation) {
        super(name, List.of(input), List.of(output));
        if (kernelSize.length < 1 || kernelSize.length > 2 || strides.length != kernelSize.length) {
            throw new ModelException("LocallyConnected " + name + ": 1 or 2 spatial axes, one stride per axis");
        }
        this.layout = layout;
        this.kernelSize = kernelSize.clone();
        this.strides = strides.clone();
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
    }

    @Override
    public String opType() {
        return "LocallyConnected";
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public LocallyConnected withActivation(Activation fused, String output) {
        return new LocallyConnected(name(), inputs().get(0), output, layout, kernelSize, strides, kernel, bias, fused);
    }

    @Override
    public List<String> weights() {
        return bias == null ? List.of(kernel) : List.of(kernel, bias);
    }

    private int[] outputSpatial(Shape x) {
        int[] in = layout.spatial(x);
        int[] out = new int[in.length];
        for (int d = 0; d < in.length; d++) {
            out[d] = (in[d] - kernelSize[d]) / strides[d] + 1;
            if (in[d] < kernelSize[d]) {
                throw new ModelException("LocallyConnected " + name() + ": kernel " + kernelSize[d]
                        + " is larger than the input " + x);
            }
        }
        return out;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        layout.requireRank(x, kernelSize.length, "LocallyConnected " + name());
        int[] out = outputSpatial(x);
        int positions = 1;
        int patch = layout.channels(x);
        for (int d = 0; d < out.length; d++) {
            positions *= out[d];
            patch *= kernelSize[d];
        }
        Shape w = weights.weight(kernel).shape();
        if (w.rank() != 3 || w.dim(0) != positions || w.dim(1) != patch) {
            throw new ModelException("LocallyConnected " + name() + ": kernel " + w + " does not match "
                    + positions + " output positions of " + patch + " inputs each");
        }
        Shape y = layout.shape(out, w.dim(2));
        if (bias != null && weights.weight(bias).shape().size() != y.size()) {
            throw new ModelException("LocallyConnected " + name() + ": bias " + weights.weight(bias).shape()
                    + " does not hold one value per output element of " + y);
        }
        return List.of(y);
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        Shape y = code.outShape(0);
        int[] in = layout.spatial(x);
        int[] out = layout.spatial(y);
        int cin = layout.channels(x);
        int filters = layout.channels(y);
        int positions = y.size() / filters;
        boolean last = layout == Layout.CHANNELS_LAST;
        int rows = out[0];
        int cols = out.length == 2 ? out[1] : 1;
        int inCols = in.length == 2 ? in[1] : 1;
        int kRows = kernelSize[0];
        int kCols = kernelSize.length == 2 ? kernelSize[1] : 1;
        int patch = cin * kRows * kCols;
        int sRows = strides[0];
        int sCols = strides.length == 2 ? strides[1] : 1;
        int inPlane = in[0] * inCols;
        String acc = code.scratch(0, filters);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", code.weight(kernel));
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.addStatement("final int xb = s * $L", x.size());
        b.addStatement("final int yb = s * $L", y.size());
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        b.beginControlFlow("for (int c = 0; c < $L; c++)", cols);
        b.addStatement("final int p = r * $L + c", cols);
        b.addStatement("java.util.Arrays.fill($L, 0f)", acc);
        b.addStatement("int wo = p * $L", patch * filters);
        // Patch elements in Keras's flattening order; the weight row advances with each.
        if (last) {
            b.beginControlFlow("for (int i = 0; i < $L; i++)", kRows);
            b.beginControlFlow("for (int j = 0; j < $L; j++)", kCols);
            b.addStatement("final int xo = xb + ((r * $L + i) * $L + c * $L + j) * $L", sRows, inCols, sCols, cin);
            b.beginControlFlow("for (int ci = 0; ci < $L; ci++, wo += $L)", cin, filters);
            b.addStatement("final float a = $L[xo + ci]", code.in(0));
        } else {
            b.beginControlFlow("for (int ci = 0; ci < $L; ci++)", cin);
            b.beginControlFlow("for (int i = 0; i < $L; i++)", kRows);
            b.beginControlFlow("for (int j = 0; j < $L; j++, wo += $L)", kCols, filters);
            b.addStatement("final float a = $L[xb + ci * $L + (r * $L + i) * $L + c * $L + j]",
                    code.in(0), inPlane, sRows, inCols, sCols);
        }
        b.beginControlFlow("for (int f = 0; f < $L; f++)", filters);
        b.addStatement("$L[f] += a * w[wo + f]", acc);
        b.endControlFlow();
        b.endControlFlow().endControlFlow().endControlFlow();
        b.beginControlFlow("for (int f = 0; f < $L; f++)", filters);
        CodeBlock at = last ? CodeBlock.of("p * $L + f", filters) : CodeBlock.of("f * $L + p", positions);
        b.addStatement("float v = $L[f]$L", acc, bias == null ? "" : " + bias[" + at + "]");
        b.addStatement("$L[yb + $L] = $L", code.out(0), at, activation.apply("v", code));
        b.endControlFlow();
        b.endControlFlow().endControlFlow().endControlFlow();
    }

    @Override
    public String describe() {
        return "LocallyConnected " + java.util.Arrays.toString(kernelSize) + ", " + layout
                + (activation.isIdentity() ? "" : " + " + activation);
    }
}
