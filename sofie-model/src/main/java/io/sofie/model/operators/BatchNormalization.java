package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Inference batch normalization along one per-sample axis (ONNX BatchNormalization with the channel axis as an
 * attribute): {@code y = (x - mean) / sqrt(var + epsilon) * scale + B}. The scale and B weights are optional (Keras
 * {@code scale=False} / {@code center=False}).
 *
 * <p>At generation time the four vectors fold, in double, into one multiplier and one offset per channel, so the
 * emitted loop is {@code y = x * a[c] + b[c]}; with channels last it runs contiguously over the channels.
 */
public final class BatchNormalization extends ROperator {
    private final int axis;
    private final double epsilon;
    private final String scale;
    private final String bias;
    private final String mean;
    private final String variance;

    /**
     * @param axis the channel axis of the per-sample shape, negative counting from the end
     * @param scale gamma, or null for none
     * @param bias beta, or null for none
     */
    public BatchNormalization(String name, String input, String output, int axis, double epsilon, String scale,
            String bias, String mean, String variance) {
        super(name, List.of(input), List.of(output));
        this.axis = axis;
        this.epsilon = epsilon;
        this.scale = scale;
        this.bias = bias;
        this.mean = mean;
        this.variance = variance;
    }

    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>();
        if (scale != null) {
            w.add(scale);
        }
        if (bias != null) {
            w.add(bias);
        }
        w.add(mean);
        w.add(variance);
        return w;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Shape channels = Shape.of(x.dim(x.axis(axis)));
        for (String w : weights()) {
            Shape s = weights.weight(w).shape();
            if (s.size() != channels.size() || s.rank() != 1) {
                throw new ModelException("BatchNormalization " + name() + ": weight " + w + " has shape " + s
                        + " but input " + x + " has " + channels.size() + " channels on axis " + axis);
            }
        }
        return List.of(x);
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int a = x.axis(axis);
        int channels = x.dim(a);
        int outer = x.size(0, a);
        int inner = x.size(a + 1, x.rank());
        double[][] folded = multiplierAndOffset(code::weightData);
        float[] mul = new float[channels];
        float[] add = new float[channels];
        for (int c = 0; c < channels; c++) {
            mul[c] = (float) folded[0][c];
            add[c] = (float) folded[1][c];
        }
        CodeBlock m = code.constant("multiplier", mul);
        CodeBlock o = code.constant("offset", add);
        String in = code.in(0);
        String out = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] a = $L", m);
        b.addStatement("final float[] b = $L", o);
        b.beginControlFlow("for (int r = 0, rows = $L * $L; r < rows; r++)", code.batch(), outer);
        if (inner == 1) {
            b.addStatement("final int base = r * $L", channels);
            b.beginControlFlow("for (int c = 0; c < $L; c++)", channels);
            b.addStatement("$L[base + c] = $L[base + c] * a[c] + b[c]", out, in);
            b.endControlFlow();
        } else {
            b.beginControlFlow("for (int c = 0; c < $L; c++)", channels);
            b.addStatement("final float ac = a[c], bc = b[c]");
            b.addStatement("final int base = (r * $L + c) * $L", channels, inner);
            b.beginControlFlow("for (int i = base, end = base + $L; i < end; i++)", inner);
            b.addStatement("$L[i] = $L[i] * ac + bc", out, in);
            b.endControlFlow();
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    /**
     * The per-channel {multiplier, offset} with {@code y = x * multiplier + offset}: multiplier = scale / sqrt(var +
     * epsilon), offset = B - mean * multiplier, in double.
     */
    public double[][] multiplierAndOffset(Function<String, float[]> weightData) {
        float[] g = scale == null ? null : weightData.apply(scale);
        float[] be = bias == null ? null : weightData.apply(bias);
        float[] mu = weightData.apply(mean);
        float[] var = weightData.apply(variance);
        double[] mul = new double[mu.length];
        double[] add = new double[mu.length];
        for (int c = 0; c < mu.length; c++) {
            mul[c] = (g == null ? 1.0 : g[c]) / Math.sqrt((double) var[c] + epsilon);
            add[c] = (be == null ? 0.0 : be[c]) - mu[c] * mul[c];
        }
        return new double[][] {mul, add};
    }

    /** The channel axis as given (negative counts from the end). */
    public int axis() {
        return axis;
    }

    @Override
    public String describe() {
        return "BatchNormalization(axis " + axis + ", epsilon " + epsilon + ")";
    }
}
