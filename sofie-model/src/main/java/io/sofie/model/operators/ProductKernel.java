package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * A weight matrix W ({@code K x M}, row-major) as the generated loops that add rows of X times W to accumulators read
 * it, and those loops: the matrix product at the heart of Gemm and of the recurrent operators' input and state
 * products.
 *
 * <p>The loops are shaped for C2's auto-vectoriser (JDK 17 SuperWord), which has three demands: every array access in
 * the inner loop must use the same index expression up to a constant (so W is emitted as one array per group of
 * {@value #DEPTH} rows, read at constant offsets, and the accumulators for a block of X rows are one scratch array at
 * constant offsets {@link #accumulatorStride} apart); the loop body must be small enough to be unrolled 16 times
 * (AVX-512), which caps the block at {@value #ROWS} rows by {@value #DEPTH} W rows (Math.fma keeps the node count
 * down; separate multiplies and adds would allow only 2 rows); and the inner loop must run over contiguous columns
 * without a reduction. Each accumulator gets {@code fma(a3, w3, fma(a2, w2, fma(a1, w1, a0 * w0)))} per group of
 * {@value #DEPTH} k: the long sum over K takes one rounding per group of four, and each group's partial sum is
 * rounded 4 times instead of 7.
 *
 * <p>The loops read X row r from {@code in[xo<r> + k]}: the caller declares the ints {@code xo0 .. xo<count-1>}. They
 * declare their own locals inside their loops, and W through {@link #declare}.
 *
 * <p>Math.fma is a single instruction wherever the JVM has hardware FMA (x86-64 since 2013, all AArch64); without it
 * the JDK falls back to a slow exact computation.
 */
final class ProductKernel {
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

    final int k;
    final int m;
    final boolean wide;
    private final CodeBlock groups;
    private final CodeBlock tail;
    private final CodeBlock rows;

    /**
     * W from {@code weights} ({@code k x m}, row-major), as constants of the operator writing {@code code}. Their
     * keys start with {@code key}, which must be unique among the operator's kernels ("input0" gives "input0/groups",
     * ...; "" gives "groups", "tail", "rows").
     */
    ProductKernel(OperatorCode code, String key, float[] weights, int k, int m) {
        this.k = k;
        this.m = m;
        this.wide = m >= WIDE;
        int g = k / DEPTH;
        // Group g holds W rows 4g .. 4g+3, contiguous as in W itself: one array read at constant offsets.
        groups = wide && g > 0
                ? code.constantRows(key(key, "groups"), Arrays.copyOf(weights, g * DEPTH * m), DEPTH * m) : null;
        tail = wide && k % DEPTH != 0
                ? code.constantRows(key(key, "tail"), Arrays.copyOfRange(weights, g * DEPTH * m, k * m), m) : null;
        rows = wide ? null : code.constantRows(key(key, "rows"), weights, m);
    }

    /** Columns {@code from .. from + width - 1} of the row-major {@code k x stride} matrix in {@code data}. */
    static float[] columns(float[] data, int k, int stride, int from, int width) {
        float[] window = new float[k * width];
        for (int r = 0; r < k; r++) {
            System.arraycopy(data, r * stride + from, window, r * width, width);
        }
        return window;
    }

    private static String key(String prefix, String part) {
        return prefix.isEmpty() ? part : prefix + "/" + part;
    }

    /**
     * Distance between the accumulator rows of a block: M rounded up to whole 64-byte lines plus one line, so that rows
     * neither share a cache line nor sit a multiple of 4 KB apart (which makes loads wait on unrelated stores).
     */
    static int accumulatorStride(int m) {
        return (m + 15) / 16 * 16 + 16;
    }

    /** Declares the locals the loops read W through: {@code wg} (groups), {@code wt} (tail rows), {@code wr} (rows). */
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

    /** The loops adding X rows xo0 .. xo(count-1) of {@code in} times W to the accumulators in {@code acc}. */
    void accumulate(CodeBlock.Builder b, String in, String acc, int count, int stride) {
        int groupCount = k / DEPTH;
        int g0 = 0;
        if (wide && count == 1 && groupCount >= 2 && (long) k * m <= CACHED) {
            // A single row leaves room in the loop body for two groups per pass over the accumulator; the sum is
            // (acc + group) + next group, the same roundings as two passes: results match the blocked rows bit for bit.
            g0 = groupCount - groupCount % 2;
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
        if (groupCount > g0) {
            b.beginControlFlow("for (int g = $L; g < $L; g++)", g0, groupCount);
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
        accumulateTail(b, in, acc, count, stride);
    }

    /**
     * Emits a call of {@link #accumulate}'s loops placed in a helper method of their own, named {@code name} within
     * the operator (see {@link OperatorCode#helper}: C2 compiles a kernel loop slower beside unrelated loops). The
     * helper's parameters are {@code in}, {@code xo0 .. xo<count-1>} and {@code acc}, named as the caller's.
     */
    void accumulateInHelper(OperatorCode code, CodeBlock.Builder b, String name, String in, String acc, int count,
            int stride) {
        CodeBlock.Builder loops = CodeBlock.builder();
        declare(loops);
        accumulate(loops, in, acc, count, stride);
        MethodSpec.Builder helper = MethodSpec.methodBuilder(name);
        if (count == 1) {
            helper.addJavadoc("Adds the X row starting at xo0, times W, to $L.\n", acc);
        } else {
            helper.addJavadoc("Adds the X rows starting at xo0 .. xo$L, times W, to their accumulators: $L from 0, "
                    + "$L, ...\n", count - 1, acc, stride);
        }
        helper.addParameter(float[].class, in, Modifier.FINAL);
        StringBuilder args = new StringBuilder(in);
        for (int r = 0; r < count; r++) {
            helper.addParameter(int.class, "xo" + r, Modifier.FINAL);
            args.append(", xo").append(r);
        }
        helper.addParameter(float[].class, acc, Modifier.FINAL).addCode(loops.build());
        b.addStatement("$L($L, $L)", code.helper(helper.build()), args, acc);
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
     * and a conditional move; the bit test with index-only lists takes 2-5% off mlp_small). Narrow outputs do not skip
     * (see {@link Gemm#skipsZerosAt}).
     */
    void accumulateNonZero(OperatorCode code, CodeBlock.Builder b, String in, String acc) {
        int groupCount = k / DEPTH;
        if (groupCount > 0) {
            int grouped = groupCount * DEPTH;
            int wrap = Integer.highestOneBit(groupCount) == groupCount
                    ? groupCount : Integer.highestOneBit(groupCount) << 1;
            int padding = wrap * DEPTH;
            int listLength = groupCount + DEPTH;
            String index = code.indexScratch(0, DEPTH * listLength);
            String value = code.scratch(1, padding + DEPTH);
            b.addStatement("System.arraycopy($L, xo0, $L, 0, $L)", in, value, grouped);
            b.addStatement("java.util.Arrays.fill($L, $L, $L, 0f)", value, padding, padding + DEPTH);
            for (int l = 0; l < DEPTH; l++) {
                b.addStatement("int n$L = $L", l, l * listLength);
            }
            b.beginControlFlow("for (int k = 0; k < $L; k += $L)", grouped, DEPTH);
            for (int l = 0; l < DEPTH; l++) {
                String kl = l == 0 ? "k" : "k + " + l;
                b.addStatement("$L[n$L] = $L", index, l, kl);
                // 1 unless the float is +0 or -0: NaN counts as non-zero and propagates as in the dense loops.
                b.addStatement("n$L += ((Float.floatToRawIntBits($L[$L]) & 0x7fffffff) + 0x7fffffff) >>> 31", l,
                        value, kl);
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
        accumulateTail(b, in, acc, 1, 0);
    }

    /** W rows past the last whole group of four, one at a time. */
    private void accumulateTail(CodeBlock.Builder b, String in, String acc, int count, int stride) {
        int groupCount = k / DEPTH;
        if (k % DEPTH != 0) {
            b.beginControlFlow("for (int t = 0; t < $L; t++)", k % DEPTH);
            if (wide) {
                b.addStatement("final float[] w = wt[t]");
            } else {
                b.addStatement("final float[] w = wr[$L + t]", groupCount * DEPTH);
            }
            for (int r = 0; r < count; r++) {
                b.addStatement("final float a$L = $L[xo$L + $L + t]", r, in, r, groupCount * DEPTH);
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
}
