package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Layer normalization over any set of per-sample axes (ONNX LayerNormalization generalised from "axis to the end" to
 * a set of axes, as Keras allows): each sample's values over those axes are normalised by their mean and biased
 * variance, {@code y = (x - mean) / sqrt(var + epsilon) * scale + B}. Scale and B are optional and span the normalised
 * axes, indexed row-major over them in axis order.
 *
 * <p>{@code rmsScaling} follows Keras 3's {@code rms_scaling=True} exactly: {@code y = x / sqrt(var + epsilon) *
 * scale}, with the variance still taken about the mean and x not centred (Keras documents this as deprecated
 * behaviour, and it is what Keras models compute).
 *
 * <p>Statistics are accumulated in double (two passes) and each output is rounded once.
 */
public final class LayerNormalization extends ROperator {
    private final int[] axes;
    private final double epsilon;
    private final String scale;
    private final String bias;
    private final boolean rmsScaling;

    /**
     * @param axes per-sample axes to normalise over, negative counting from the end
     * @param scale gamma, or null
     * @param bias beta, or null (must be null with rmsScaling)
     */
    public LayerNormalization(String name, String input, String output, int[] axes, double epsilon, String scale,
            String bias, boolean rmsScaling) {
        super(name, List.of(input), List.of(output));
        if (axes.length == 0) {
            throw new ModelException("LayerNormalization " + name + " needs at least one axis");
        }
        if (rmsScaling && bias != null) {
            throw new ModelException("LayerNormalization " + name + ": rms scaling takes no offset");
        }
        this.axes = axes.clone();
        this.epsilon = epsilon;
        this.scale = scale;
        this.bias = bias;
        this.rmsScaling = rmsScaling;
    }

    @Override
    public String opType() {
        return "LayerNormalization";
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
        return w;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        int[] sorted = resolvedAxes(x);
        int size = 1;
        for (int a : sorted) {
            size *= x.dim(a);
        }
        for (String w : weights()) {
            Shape s = weights.weight(w).shape();
            if (s.size() != size) {
                throw new ModelException("LayerNormalization " + name() + ": weight " + w + " has shape " + s
                        + " but the normalised axes " + Arrays.toString(axes) + " of " + x + " hold " + size
                        + " values");
            }
        }
        return List.of(x);
    }

    /** The axes as sorted distinct non-negative per-sample axes. */
    private int[] resolvedAxes(Shape x) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int a : axes) {
            if (!set.add(x.axis(a))) {
                throw new ModelException("LayerNormalization " + name() + ": axis " + a + " is given twice in "
                        + Arrays.toString(axes));
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        int rank = x.rank();
        boolean[] normalised = new boolean[rank];
        for (int a : resolvedAxes(x)) {
            normalised[a] = true;
        }
        // Adjacent axes of the same kind merge into one loop: {size, stride}.
        List<int[]> kept = new ArrayList<>();
        List<int[]> norm = new ArrayList<>();
        for (int d = 0; d < rank; ) {
            int e = d;
            while (e < rank && normalised[e] == normalised[d]) {
                e++;
            }
            int[] group = {x.size(d, e), x.size(e, rank)};
            (normalised[d] ? norm : kept).add(group);
            d = e;
        }
        int count = 1;
        for (int[] g : norm) {
            count *= g[0];
        }
        String in = code.in(0);
        String out = code.out(0);
        CodeBlock.Builder b = code.body();
        if (scale != null) {
            b.addStatement("final float[] g = $L", code.weight(scale));
        }
        if (bias != null) {
            b.addStatement("final float[] be = $L", code.weight(bias));
        }
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        StringBuilder base = new StringBuilder("s * " + x.size());
        for (int k = 0; k < kept.size(); k++) {
            b.beginControlFlow("for (int k$L = 0; k$L < $L; k$L++)", k, k, kept.get(k)[0], k);
            base.append(" + k").append(k).append(" * ").append(kept.get(k)[1]);
        }
        b.addStatement("final int base = $L", base);
        StringBuilder index = new StringBuilder("base");
        StringBuilder param = new StringBuilder();
        for (int m = 0; m < norm.size(); m++) {
            int[] g = norm.get(m);
            index.append(" + m").append(m).append(g[1] == 1 ? "" : " * " + g[1]);
            param = m == 0 ? new StringBuilder("m0") : new StringBuilder("(" + param + ") * " + g[0] + " + m" + m);
        }
        b.addStatement("double sum = 0.0");
        openNormLoops(b, norm);
        b.addStatement("sum += $L[$L]", in, index);
        closeNormLoops(b, norm);
        b.addStatement("final double mean = sum / $L", count);
        b.addStatement("double squares = 0.0");
        openNormLoops(b, norm);
        b.addStatement("final double d = $L[$L] - mean", in, index);
        b.addStatement("squares += d * d");
        closeNormLoops(b, norm);
        b.addStatement("final double inv = 1.0 / Math.sqrt(squares / $L + $L)", count, epsilon);
        openNormLoops(b, norm);
        String centred = rmsScaling ? in + "[" + index + "] * inv" : "(" + in + "[" + index + "] - mean) * inv";
        String scaled = scale == null ? centred : centred + " * g[" + param + "]";
        String shifted = bias == null ? scaled : scaled + " + be[" + param + "]";
        b.addStatement("$L[$L] = (float) ($L)", out, index, shifted);
        closeNormLoops(b, norm);
        for (int k = 0; k < kept.size(); k++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    private static void openNormLoops(CodeBlock.Builder b, List<int[]> norm) {
        for (int m = 0; m < norm.size(); m++) {
            b.beginControlFlow("for (int m$L = 0; m$L < $L; m$L++)", m, m, norm.get(m)[0], m);
        }
    }

    private static void closeNormLoops(CodeBlock.Builder b, List<int[]> norm) {
        for (int m = 0; m < norm.size(); m++) {
            b.endControlFlow();
        }
    }

    @Override
    public String describe() {
        return "LayerNormalization(axes " + Arrays.toString(axes) + ", epsilon " + epsilon
                + (rmsScaling ? ", rms scaling" : "") + ")";
    }
}
