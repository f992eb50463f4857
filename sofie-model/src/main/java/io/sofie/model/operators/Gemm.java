package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * {@code Y = activation(X W + B)} over the last axis of X: Keras Dense. W is {@code (K, M)} row-major as Keras stores
 * it, B is {@code (M)} or absent. Leading per-sample axes are treated as more rows.
 *
 * <p>The emitted kernel is shaped for C2's auto-vectoriser (JDK 17 SuperWord), which has three demands: every array
 * access in the inner loop must use the same index expression up to a constant (so W is emitted as one array per
 * group of {@value #DEPTH} rows, read at constant offsets, and the accumulators for a block of X rows are one scratch
 * array at constant offsets); the loop body must be small enough to be unrolled 16 times (AVX-512), which caps the
 * block at {@value #ROWS} rows by {@value #DEPTH} W rows (Math.fma keeps the node count down; separate multiplies and
 * adds would allow only 2 rows); and the inner loop must run over contiguous columns without a reduction. A block's
 * loops run in a helper method of their own (see {@link OperatorCode#helper}). Each accumulator gets
 * {@code fma(a3, w3, fma(a2, w2, fma(a1, w1, a0 * w0)))} per group of {@value #DEPTH} k: the long sum over K still
 * takes one rounding per group of four, as before, and each group's partial sum is rounded 4 times instead of 7. A
 * row's result does not depend on the batch size or on the row's position in the batch, unless the Gemm skips zeros.
 *
 * <p>A Gemm whose input comes from a relu ({@link #withZeroSkipping}) skips the zero inputs of a row it computes
 * alone (batch 1, and the rows a batch leaves over after its blocks): it lists the row's non-zero inputs and reads
 * only their W rows, about half of W after a relu. At batch 1 reading W is the whole cost (from L3 once W passes the
 * L2 size). Grouping the non-zero inputs four at a time changes only the order of the sum, so such a row may differ
 * in its last bits from the same row computed in a block.
 *
 * <p>Math.fma is a single instruction wherever the JVM has hardware FMA (x86-64 since 2013, all AArch64); without it
 * the JDK falls back to a slow exact computation.
 */
public final class Gemm extends ROperator implements ActivationFusable {
    /** X rows per block: the most whose loop body C2 still unrolls 16 times at the default LoopUnrollLimit. */
    static final int ROWS = 3;
    /** W rows per inner loop, the k-group of the accumulation. */
    static final int DEPTH = 4;
    /**
     * Outputs at least this wide (one AVX-512 vector of floats) read each group of W rows from one array. Narrower ones
     * never fill a vector, and run faster as scalar code over one array per W row.
     */
    static final int WIDE = 16;
    /**
     * Kernels with more floats than this (1 MB, one core's L2 on current x86) stream from L3 on every call. A single
     * row then reads one group of W rows per pass: fewer concurrent streams, measured 9% faster on a 1024 x 1024
     * kernel, while two groups per pass are 2-8% faster on cache-resident kernels of 128 to 512 squared.
     */
    static final int CACHED = 512 * 512;

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
     * {@code accumulateNonZero}); a narrow W is small and cached, and listing the inputs cost more than it saved.
     */
    public static boolean skipsZerosAt(int outputs) {
        return outputs >= WIDE;
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
        int stride = accumulatorStride(m);
        Kernel w = new Kernel(code, k, m);
        CodeBlock.Builder b = code.body();
        w.declare(b);
        String acc = code.scratch(0, ROWS * stride);
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        b.addStatement("final int rows = $L * $L", code.batch(), rowsPerSample);
        b.addStatement("int r = 0");
        b.beginControlFlow("for (; r + $L <= rows; r += $L)", ROWS, ROWS);
        rowBlock(code, b, w, acc, ROWS, stride);
        b.endControlFlow();
        b.beginControlFlow("for (; r < rows; r++)");
        rowBlock(code, b, w, acc, 1, stride);
        b.endControlFlow();
    }

    /**
     * References to W as the kernel loops read it: one array per group of {@value #DEPTH} rows ({@code wg}) and one per
     * leftover row ({@code wt}) when the output is at least {@value #WIDE} wide, else one array per row ({@code wr}).
     */
    private final class Kernel {
        final int k;
        final int m;
        final boolean wide;
        private final CodeBlock groups;
        private final CodeBlock tail;
        private final CodeBlock rows;

        Kernel(OperatorCode code, int k, int m) {
            this.k = k;
            this.m = m;
            this.wide = m >= WIDE;
            float[] weights = code.weightData(kernel);
            int g = k / DEPTH;
            // Group g holds W rows 4g .. 4g+3, contiguous as in W itself: one array read at constant offsets.
            groups = wide && g > 0
                    ? code.constantRows("groups", Arrays.copyOf(weights, g * DEPTH * m), DEPTH * m) : null;
            tail = wide && k % DEPTH != 0
                    ? code.constantRows("tail", Arrays.copyOfRange(weights, g * DEPTH * m, k * m), m) : null;
            rows = wide ? null : code.constantRows("rows", weights, m);
        }

        /** Declares the locals the kernel loops read W through. */
        void declare(CodeBlock.Builder b) {
            if (groups != null) {
                b.addStatement("final float[][] wg = $L", groups);
            }
            if (tail != null) {
                b.addStatement("final float[][] wt = $L", tail);
            }
            if (rows != null) {
                b.addStatement("final float[][] wr = $L", rows);
            }
        }
    }

    /** Rows {@code r .. r + count - 1} of Y, accumulated in {@code acc} at offsets 0, stride, 2 stride, ... */
    private void rowBlock(OperatorCode code, CodeBlock.Builder b, Kernel w, String acc, int count, int stride) {
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
            CodeBlock.Builder kb = CodeBlock.builder();
            w.declare(kb);
            accumulate(kb, w, in, acc, count, stride);
            MethodSpec.Builder helper = MethodSpec.methodBuilder("accumulateRows")
                    .addJavadoc("Adds the X rows starting at xo0 .. xo$L, times W, to their accumulators: $L from 0, "
                            + "$L, ...\n", count - 1, acc, stride)
                    .addParameter(float[].class, in, Modifier.FINAL);
            StringBuilder args = new StringBuilder(in);
            for (int r = 0; r < count; r++) {
                helper.addParameter(int.class, "xo" + r, Modifier.FINAL);
                args.append(", xo").append(r);
            }
            helper.addParameter(float[].class, acc, Modifier.FINAL).addCode(kb.build());
            b.addStatement("$L($L, $L)", code.helper(helper.build()), args, acc);
        } else if (skipsZeros && count == 1 && skipsZerosAt(w.m)) {
            accumulateNonZero(code, b, w, in, acc);
        } else {
            accumulate(b, w, in, acc, count, stride);
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

    /** The loops adding X rows xo0 .. xo(count-1) times W to the accumulators. */
    private static void accumulate(CodeBlock.Builder b, Kernel w, String in, String acc, int count, int stride) {
        int k = w.k;
        int m = w.m;
        int groups = k / DEPTH;
        int g0 = 0;
        boolean wide = w.wide;
        if (wide && count == 1 && groups >= 2 && (long) k * m <= CACHED) {
            // A single row leaves room in the loop body for two groups per pass over the accumulator; the sum is
            // (acc + group) + next group, the same roundings as two passes: results match the blocked rows bit for bit.
            g0 = groups - groups % 2;
            b.beginControlFlow("for (int g = 0; g < $L; g += 2)", g0);
            b.addStatement("final float[] w = wg[g], v = wg[g + 1]");
            b.addStatement("final int i = g * $L", DEPTH);
            for (int d = 0; d < 2 * DEPTH; d++) {
                b.addStatement("final float a0$L = $L[xo0 + i + $L]", d, in, d);
            }
            b.beginControlFlow("for (int j = 0; j < $L; j++)", m);
            b.addStatement("$L[j] = $L[j] + $L + $L", acc, acc, group(0, 0, d -> "w[j" + offset(d * m) + "]"),
                    group(0, DEPTH, d -> "v[j" + offset(d * m) + "]"));
            b.endControlFlow();
            b.endControlFlow();
        }
        if (groups > g0) {
            b.beginControlFlow("for (int g = $L; g < $L; g++)", g0, groups);
            b.addStatement("final int i = g * $L", DEPTH);
            if (wide) {
                b.addStatement("final float[] w = wg[g]");
            } else {
                for (int d = 0; d < DEPTH; d++) {
                    b.addStatement("final float[] w$L = wr[i + $L]", d, d);
                }
            }
            for (int r = 0; r < count; r++) {
                for (int d = 0; d < DEPTH; d++) {
                    b.addStatement("final float a$L$L = $L[xo$L + i + $L]", r, d, in, r, d);
                }
            }
            b.beginControlFlow("for (int j = 0; j < $L; j++)", m);
            for (int r = 0; r < count; r++) {
                b.addStatement("$L[j$L] += $L", acc, offset(r * stride),
                        group(r, 0, wide ? d -> "w[j" + offset(d * m) + "]" : d -> "w" + d + "[j]"));
            }
            b.endControlFlow();
            b.endControlFlow();
        }
        accumulateTail(b, w, in, acc, count, stride);
    }

    /**
     * One row's non-zero inputs times their W rows (a wide W). The row is copied into a scratch array, and the indices
     * of its non-zero inputs are listed first, in one list per row of the group arrays ({@code k % 4}) so that each
     * list's loop reads its W rows at one constant offset (C2 vectorises no access at a runtime offset). Each list is
     * padded to a multiple of four with indices past the row whose value slots hold zeros, and read four entries per
     * pass over the accumulator. An index's group is {@code (k >> 2) & mask}, the mask one less than the power of two
     * at or above the group count: the padding's groups wrap to group 0 (multiplied by zero), and where the group count
     * is a power of two C2 sees every group index in bounds. That matters: clamping with {@code Math.min} instead, or a
     * group array one longer, made mlp_small 6% slower. The listing is branch-free: every index is written at its
     * list's end, which only advances past non-zeros, tested on the float's bits (a float compare costs C2 a NaN check
     * and a conditional move; the bit test with index-only lists takes 2-5% off mlp_small). Narrow outputs do not skip:
     * their W is small and cached, and listing cost more than it saved (128 -> 10: 0.31 against 0.27 us; with this
     * listing, mlp_small 1.18 against 1.14 us).
     */
    private static void accumulateNonZero(OperatorCode code, CodeBlock.Builder b, Kernel w, String in, String acc) {
        int m = w.m;
        int groups = w.k / DEPTH;
        if (groups > 0) {
            int grouped = groups * DEPTH;
            int wrap = Integer.highestOneBit(groups) == groups ? groups : Integer.highestOneBit(groups) << 1;
            int padding = wrap * DEPTH;
            int listLength = groups + DEPTH;
            String index = code.indexScratch(0, DEPTH * listLength);
            String value = code.scratch(1, padding + DEPTH);
            b.addStatement("System.arraycopy($L, xo0, $L, 0, $L)", in, value, grouped);
            b.addStatement("java.util.Arrays.fill($L, $L, $L, 0f)", value, padding, padding + DEPTH);
            for (int l = 0; l < DEPTH; l++) {
                b.addStatement("int n$L = $L", l, l * listLength);
            }
            b.beginControlFlow("for (int k = 0; k < $L; k += $L)", grouped, DEPTH);
            for (int l = 0; l < DEPTH; l++) {
                String k = l == 0 ? "k" : "k + " + l;
                b.addStatement("$L[n$L] = $L", index, l, k);
                // 1 unless the float is +0 or -0: NaN counts as non-zero and propagates as in the dense loops.
                b.addStatement("n$L += ((Float.floatToRawIntBits($L[$L]) & 0x7fffffff) + 0x7fffffff) >>> 31", l,
                        value, k);
            }
            b.endControlFlow();
            for (int l = 0; l < DEPTH; l++) {
                int start = l * listLength;
                String length = start == 0 ? "n" + l : "(n" + l + " - " + start + ")";
                b.beginControlFlow("for (; $L % $L != 0; n$L++)", length, DEPTH, l);
                b.addStatement("$L[n$L] = $L", index, l, padding + l);
                b.endControlFlow();
                b.beginControlFlow("for (int q = $L; q < n$L; q += $L)", start, l, DEPTH);
                StringBuilder indices = new StringBuilder("final int ");
                StringBuilder arrays = new StringBuilder("final float[] ");
                StringBuilder values = new StringBuilder("final float ");
                for (int d = 0; d < DEPTH; d++) {
                    String q = d == 0 ? "q" : "q + " + d;
                    String sep = d == 0 ? "" : ", ";
                    indices.append(sep).append("k").append(d).append(" = ").append(index).append("[").append(q)
                            .append("]");
                    arrays.append(sep).append("w").append(d).append(" = wg[(k").append(d).append(" >> ")
                            .append(Integer.numberOfTrailingZeros(DEPTH)).append(") & ").append(wrap - 1).append("]");
                    values.append(sep).append("a0").append(d).append(" = ").append(value).append("[k").append(d)
                            .append("]");
                }
                b.addStatement(indices.toString());
                b.addStatement(arrays.toString());
                b.addStatement(values.toString());
                String rowOffset = offset(l * m);
                b.beginControlFlow("for (int j = 0; j < $L; j++)", m);
                b.addStatement("$L[j] += $L", acc, group(0, 0, d -> "w" + d + "[j" + rowOffset + "]"));
                b.endControlFlow();
                b.endControlFlow();
            }
        }
        accumulateTail(b, w, in, acc, 1, 0);
    }

    /** W rows past the last whole group of four, one at a time. */
    private static void accumulateTail(CodeBlock.Builder b, Kernel w, String in, String acc, int count, int stride) {
        int k = w.k;
        int m = w.m;
        int groups = k / DEPTH;
        boolean wide = w.wide;
        if (k % DEPTH != 0) {
            b.beginControlFlow("for (int t = 0; t < $L; t++)", k % DEPTH);
            if (wide) {
                b.addStatement("final float[] w = wt[t]");
            } else {
                b.addStatement("final float[] w = wr[$L + t]", groups * DEPTH);
            }
            for (int r = 0; r < count; r++) {
                b.addStatement("final float a$L = $L[xo$L + $L + t]", r, in, r, groups * DEPTH);
            }
            b.beginControlFlow("for (int j = 0; j < $L; j++)", m);
            for (int r = 0; r < count; r++) {
                b.addStatement("$L[j$L] += a$L * w[j]", acc, offset(r * stride), r);
            }
            b.endControlFlow();
            b.endControlFlow();
        }
    }

    /**
     * One k-group's contribution to row {@code r}: {@code fma(a3, w3, fma(a2, w2, fma(a1, w1, a0 * w0)))}, where
     * {@code w.apply(d)} reads W row d of the group at column j and {@code a<r><first + d>} holds the row's x value.
     */
    private static String group(int r, int first, IntFunction<String> w) {
        String sum = "a" + r + first + " * " + w.apply(0);
        for (int d = 1; d < DEPTH; d++) {
            sum = "Math.fma(a" + r + (first + d) + ", " + w.apply(d) + ", " + sum + ")";
        }
        return sum;
    }

    private static String offset(int constant) {
        return constant == 0 ? "" : " + " + constant;
    }

    /**
     * Distance between the accumulator rows of a block: M rounded up to whole 64-byte lines plus one line, so that rows
     * neither share a cache line nor sit a multiple of 4 KB apart (which makes loads wait on unrelated stores).
     */
    static int accumulatorStride(int m) {
        return (m + 15) / 16 * 16 + 16;
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
