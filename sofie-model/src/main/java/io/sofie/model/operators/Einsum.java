package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.ForwardingOperatorCode;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A two-operand einsum of an activation X with a constant kernel W, plus an optional bias broadcast against the
 * trailing output axes: Keras EinsumDense. The equation is per sample ({@code "bc,cde->bde"}): the batch axis is
 * implicit in front of X and Y.
 *
 * <p>At generation time the labels are grouped into batch-like (in X, W and Y), free rows (X and Y), contracted (X and
 * W, or X only), and free columns (W and Y); labels only in W are summed out of the kernel. The kernel is repacked as
 * (batch-like, contracted, columns), so each group is a plain row-times-matrix product whose inner loop runs over
 * contiguous columns without a reduction. X and Y are permuted per sample through scratch only when their axis order
 * differs from that grouping.
 */
public final class Einsum extends ROperator {
    private final String equation;
    private final String kernel;
    private final String bias;
    private final String xLabels;
    private final String wLabels;
    private final String yLabels;

    /** @param bias a weight broadcast against the trailing axes of Y, or null */
    public Einsum(String name, String input, String output, String equation, String kernel, String bias) {
        super(name, List.of(input), List.of(output));
        String eq = equation.replace(" ", "");
        if (!eq.matches("[a-zA-Z]*,[a-zA-Z]+->[a-zA-Z]*")) {
            throw new ModelException("Einsum " + name + ": equation '" + equation
                    + "' is not of the form 'x,w->y' over letters");
        }
        int comma = eq.indexOf(',');
        int arrow = eq.indexOf("->");
        this.equation = eq;
        this.xLabels = eq.substring(0, comma);
        this.wLabels = eq.substring(comma + 1, arrow);
        this.yLabels = eq.substring(arrow + 2);
        this.kernel = kernel;
        this.bias = bias;
        for (String spec : new String[] {xLabels, wLabels, yLabels}) {
            for (int i = 0; i < spec.length(); i++) {
                if (spec.indexOf(spec.charAt(i), i + 1) >= 0) {
                    throw new ModelException("Einsum " + name + ": label '" + spec.charAt(i) + "' repeats within '"
                            + spec + "' (diagonals are not supported)");
                }
            }
        }
        for (char c : yLabels.toCharArray()) {
            if (xLabels.indexOf(c) < 0 && wLabels.indexOf(c) < 0) {
                throw new ModelException("Einsum " + name + ": output label '" + c + "' is in neither operand");
            }
        }
    }

    @Override
    public String opType() {
        return "Einsum";
    }

    @Override
    public List<String> weights() {
        return bias == null ? List.of(kernel) : List.of(kernel, bias);
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Shape w = weights.weight(kernel).shape();
        Map<Character, Integer> sizes = sizes(x, w);
        int[] y = new int[yLabels.length()];
        for (int i = 0; i < y.length; i++) {
            y[i] = sizes.get(yLabels.charAt(i));
        }
        Shape out = Shape.of(y);
        if (bias != null) {
            Shape b = weights.weight(bias).shape();
            boolean ok = b.rank() <= out.rank();
            for (int i = 1; ok && i <= b.rank(); i++) {
                ok = b.dim(-i) == 1 || b.dim(-i) == out.dim(-i);
            }
            if (!ok) {
                throw new ModelException("Einsum " + name() + ": bias " + b + " does not broadcast against output "
                        + out);
            }
        }
        return List.of(out);
    }

    private Map<Character, Integer> sizes(Shape x, Shape w) {
        if (x.rank() != xLabels.length() || w.rank() != wLabels.length()) {
            throw new ModelException("Einsum " + name() + ": equation '" + equation + "' does not fit input " + x
                    + " and kernel " + w);
        }
        Map<Character, Integer> sizes = new HashMap<>();
        for (int i = 0; i < x.rank(); i++) {
            sizes.put(xLabels.charAt(i), x.dim(i));
        }
        for (int i = 0; i < w.rank(); i++) {
            Integer prev = sizes.put(wLabels.charAt(i), w.dim(i));
            if (prev != null && prev != w.dim(i)) {
                throw new ModelException("Einsum " + name() + ": label '" + wLabels.charAt(i) + "' is " + prev
                        + " in input " + x + " but " + w.dim(i) + " in kernel " + w);
            }
        }
        return sizes;
    }

    @Override
    public void emit(OperatorCode code) {
        Shape xShape = code.inShape(0);
        Shape yShape = code.outShape(0);
        Map<Character, Integer> sizes = sizes(xShape, code.weightShape(kernel));
        StringBuilder groupB = new StringBuilder();
        StringBuilder groupM = new StringBuilder();
        StringBuilder groupK = new StringBuilder();
        StringBuilder groupN = new StringBuilder();
        for (char c : xLabels.toCharArray()) {
            boolean inW = wLabels.indexOf(c) >= 0;
            boolean inY = yLabels.indexOf(c) >= 0;
            if (inW && inY) {
                groupB.append(c);
            } else if (inY) {
                groupM.append(c);
            } else {
                groupK.append(c);
            }
        }
        for (char c : yLabels.toCharArray()) {
            if (xLabels.indexOf(c) < 0) {
                groupN.append(c);
            }
        }
        int bSize = product(groupB, sizes);
        int mSize = product(groupM, sizes);
        int kSize = product(groupK, sizes);
        int nSize = product(groupN, sizes);
        String natural = "" + groupB + groupM + groupN;
        int[] xOrder = positions(xLabels, "" + groupB + groupM + groupK);
        int[] yOrder = positions(natural, yLabels);
        boolean copyX = !PermutedCopy.isIdentity(xOrder);
        boolean copyY = !PermutedCopy.isIdentity(yOrder);
        int xSize = xShape.size();
        int ySize = yShape.size();

        float[] packed = pack(code.weightData(kernel), sizes, "" + groupB + groupK + groupN);
        float[] expanded = bias == null ? null : expandedBias(code.weightData(bias), code.weightShape(bias), yShape);
        if (bSize == 1 && !copyX && !copyY && (expanded == null || expanded.length == nSize)) {
            // A plain (rows x K) by (K x N) product with a per-column bias: Gemm's cache-blocked kernel does it.
            new Gemm(name(), inputs().get(0), outputs().get(0), kernel, bias, Activation.IDENTITY)
                    .emit(new AsMatrixProduct(code, mSize, kSize, nSize, kernel, packed, bias, expanded));
            return;
        }
        CodeBlock w = code.constant("packed", packed);
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", w);
        String xa = copyX ? code.scratch(0, xSize) : x;
        String za = copyY ? code.scratch(1, ySize) : y;
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        if (copyX) {
            new PermutedCopy(xShape.dims(), xOrder).emit(b, x, "s * " + xSize, xa, "0", "x");
            b.addStatement("final int xb = 0");
        } else {
            b.addStatement("final int xb = s * $L", xSize);
        }
        b.addStatement("final int zb = $L", copyY ? "0" : "s * " + ySize);
        b.beginControlFlow("for (int r = 0; r < $L; r++)", bSize * mSize);
        b.addStatement("final int xo = xb + r * $L", kSize);
        b.addStatement("final int zo = zb + r * $L", nSize);
        b.addStatement("final int wg = (r / $L) * $L", mSize, kSize * nSize);
        // A bias whose period and the row length divide one another starts each row; any other is added after.
        boolean biasInRow = expanded != null && !copyY
                && (expanded.length % nSize == 0 || nSize % expanded.length == 0);
        if (biasInRow && expanded.length % nSize == 0) {
            b.addStatement("System.arraycopy($L, (r * $L) % $L, $L, zo, $L)", code.constant("bias", expanded), nSize,
                    expanded.length, za, nSize);
        } else if (biasInRow) {
            float[] row = new float[nSize];
            for (int j = 0; j < nSize; j++) {
                row[j] = expanded[j % expanded.length];
            }
            b.addStatement("System.arraycopy($L, 0, $L, zo, $L)", code.constant("bias", row), za, nSize);
        } else {
            b.addStatement("java.util.Arrays.fill($L, zo, zo + $L, 0f)", za, nSize);
        }
        b.beginControlFlow("for (int k = 0; k < $L; k++)", kSize);
        b.addStatement("final float a = $L[xo + k]", xa);
        b.addStatement("final int wo = wg + k * $L", nSize);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", nSize);
        b.addStatement("$L[zo + j] += a * w[wo + j]", za);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        if (copyY) {
            new PermutedCopy(naturalDims(natural, sizes), yOrder).emit(b, za, "0", y, "s * " + ySize, "y");
        }
        b.endControlFlow();
        if (expanded != null && !biasInRow) {
            emitBias(code, yShape, expanded);
        }
    }

    /** The bias broadcast over the trailing axes of Y it covers: one period of the values added along Y. */
    private static float[] expandedBias(float[] raw, Shape bShape, Shape yShape) {
        int rank = bShape.rank();
        int period = yShape.size(yShape.rank() - rank, yShape.rank());
        float[] expanded = new float[period];
        int[] yDims = yShape.dims();
        int[] idx = new int[rank];
        for (int j = 0; j < period; j++) {
            int rem = j;
            for (int a = rank - 1; a >= 0; a--) {
                int d = yDims[yDims.length - rank + a];
                idx[a] = rem % d;
                rem /= d;
            }
            int src = 0;
            for (int a = 0; a < rank; a++) {
                src = src * bShape.dim(a) + (bShape.dim(a) == 1 ? 0 : idx[a]);
            }
            expanded[j] = raw[src];
        }
        return expanded;
    }

    private void emitBias(OperatorCode code, Shape yShape, float[] expanded) {
        int period = expanded.length;
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] bias = $L", code.constant("bias", expanded));
        b.beginControlFlow("for (int o = 0, end = $L * $L; o < end; o += $L)", code.batch(), yShape.size(), period);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", period);
        b.addStatement("$L[o + j] += bias[j]", code.out(0));
        b.endControlFlow();
        b.endControlFlow();
    }

    private static int product(CharSequence labels, Map<Character, Integer> sizes) {
        int p = 1;
        for (int i = 0; i < labels.length(); i++) {
            p *= sizes.get(labels.charAt(i));
        }
        return p;
    }

    /** order[i] = position in {@code from} of the i-th label of {@code to}. */
    private static int[] positions(String from, String to) {
        int[] order = new int[to.length()];
        for (int i = 0; i < order.length; i++) {
            order[i] = from.indexOf(to.charAt(i));
        }
        return order;
    }

    private static int[] naturalDims(String labels, Map<Character, Integer> sizes) {
        int[] d = new int[labels.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = sizes.get(labels.charAt(i));
        }
        return d;
    }

    /**
     * W rearranged to the label order {@code target} (batch-like, contracted, columns), summing labels that are only
     * in W and repeating W along contracted labels that are only in X.
     */
    private float[] pack(float[] data, Map<Character, Integer> sizes, String target) {
        int[] wStrides = new int[wLabels.length()];
        int s = 1;
        for (int i = wLabels.length() - 1; i >= 0; i--) {
            wStrides[i] = s;
            s *= sizes.get(wLabels.charAt(i));
        }
        List<Integer> summedSizes = new ArrayList<>();
        List<Integer> summedStrides = new ArrayList<>();
        for (int i = 0; i < wLabels.length(); i++) {
            char c = wLabels.charAt(i);
            if (target.indexOf(c) < 0) {
                summedSizes.add(sizes.get(c));
                summedStrides.add(wStrides[i]);
            }
        }
        int[] tDims = naturalDims(target, sizes);
        int[] tStrides = new int[target.length()];
        for (int i = 0; i < target.length(); i++) {
            int wi = wLabels.indexOf(target.charAt(i));
            tStrides[i] = wi < 0 ? 0 : wStrides[wi];
        }
        int total = product(target, sizes);
        int summedTotal = 1;
        for (int d : summedSizes) {
            summedTotal *= d;
        }
        float[] out = new float[total];
        int[] idx = new int[target.length()];
        for (int t = 0; t < total; t++) {
            int rem = t;
            int base = 0;
            for (int a = target.length() - 1; a >= 0; a--) {
                idx[a] = rem % tDims[a];
                rem /= tDims[a];
                base += idx[a] * tStrides[a];
            }
            float acc = 0f;
            for (int u = 0; u < summedTotal; u++) {
                int r = u;
                int off = base;
                for (int a = summedSizes.size() - 1; a >= 0; a--) {
                    off += (r % summedSizes.get(a)) * summedStrides.get(a);
                    r /= summedSizes.get(a);
                }
                acc += data[off];
            }
            out[t] = acc;
        }
        return out;
    }

    /** This operator's context seen as a matrix product (M, K) x (K, N) with the repacked kernel and bias. */
    private static final class AsMatrixProduct extends ForwardingOperatorCode {
        private final Shape in;
        private final Shape out;
        private final String kernel;
        private final float[] packed;
        private final String bias;
        private final float[] expandedBias;

        AsMatrixProduct(OperatorCode outer, int rows, int k, int n, String kernel, float[] packed, String bias,
                float[] expandedBias) {
            super(outer);
            this.in = Shape.of(rows, k);
            this.out = Shape.of(rows, n);
            this.kernel = kernel;
            this.packed = packed;
            this.bias = bias;
            this.expandedBias = expandedBias;
        }

        @Override
        public Shape inShape(int i) {
            return in;
        }

        @Override
        public Shape outShape(int i) {
            return out;
        }

        @Override
        public CodeBlock weight(String name) {
            return name.equals(bias) ? delegate().constant("bias", expandedBias) : delegate().weight(name);
        }

        @Override
        public Shape weightShape(String name) {
            if (name.equals(kernel)) {
                return Shape.of(in.dim(1), out.dim(1));
            }
            return name.equals(bias) ? Shape.of(out.dim(1)) : delegate().weightShape(name);
        }

        @Override
        public float[] weightData(String name) {
            if (name.equals(kernel)) {
                return packed;
            }
            return name.equals(bias) ? expandedBias : delegate().weightData(name);
        }
    }

    @Override
    public String describe() {
        return "Einsum(" + equation + (bias == null ? "" : " + bias") + ")";
    }
}
