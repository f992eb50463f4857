package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;

/**
 * Emits a loop nest that copies one sample's tensor into another axis order. The destination is written
 * sequentially, so stores are contiguous; the source is read with the strides of its own layout.
 */
final class PermutedCopy {
    private final int[] destDims;
    private final int[] sourceStrides;

    /**
     * @param sourceDims the source's per-sample shape
     * @param order destination axis i is source axis {@code order[i]}
     */
    PermutedCopy(int[] sourceDims, int[] order) {
        int[] strides = new int[sourceDims.length];
        int s = 1;
        for (int i = sourceDims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= sourceDims[i];
        }
        destDims = new int[order.length];
        sourceStrides = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            destDims[i] = sourceDims[order[i]];
            sourceStrides[i] = strides[order[i]];
        }
    }

    /** True when the order is the identity, so no copy is needed. */
    static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies from {@code src[srcBase ...]} to {@code dst[dstBase ...]}; {@code tag} keeps loop variables of
     * several copies in one method apart.
     */
    void emit(CodeBlock.Builder b, String src, String srcBase, String dst, String dstBase, String tag) {
        String p = "p" + tag;
        b.addStatement("int $L = $L", p, dstBase);
        String outer = srcBase;
        for (int i = 0; i < destDims.length; i++) {
            String idx = "i" + tag + i;
            String off = "o" + tag + i;
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", idx, idx, destDims[i], idx);
            b.addStatement("final int $L = $L + $L * $L", off, outer, idx, sourceStrides[i]);
            outer = off;
        }
        b.addStatement("$L[$L++] = $L[$L]", dst, p, src, outer);
        for (int i = 0; i < destDims.length; i++) {
            b.endControlFlow();
        }
    }
}
