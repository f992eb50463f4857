package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;

/**
 * Writes the nested loops a windowed operator runs: over output positions ({@code o0, o1, ...}, linear index
 * {@code op}) and, inside, over kernel taps ({@code k0, ...}, linear {@code tap}) with the input cell each tap reads
 * ({@code i0, ...}, linear {@code ip}). Taps that fall into padding are skipped with {@code continue}; checks that
 * cannot fail for the given sizes are not emitted.
 */
final class WindowLoops {
    private final CodeBlock.Builder b;
    private int outputLoops;
    private int tapLoops;

    WindowLoops(CodeBlock.Builder b) {
        this.b = b;
    }

    /** Opens one loop per output spatial axis and defines {@code op}. */
    void openOutputs(int[] out) {
        for (int d = 0; d < out.length; d++) {
            b.beginControlFlow("for (int o$L = 0; o$L < $L; o$L++)", d, d, out[d], d);
            outputLoops++;
        }
        b.addStatement("final int op = $L", linear("o", out));
    }

    /**
     * Opens the tap loops of a forward window: tap {@code k} of output {@code o} reads input
     * {@code o * stride - padBegin + k * dilation}. Defines {@code ip}, and {@code tap} when {@code withTap}.
     */
    void openForwardTaps(Window w, int[] in, int[] out, int[] padBegin, boolean withTap) {
        for (int d = 0; d < w.rank(); d++) {
            b.beginControlFlow("for (int k$L = 0; k$L < $L; k$L++)", d, d, w.kernel(d), d);
            tapLoops++;
            StringBuilder expr = new StringBuilder();
            expr.append(w.stride(d) == 1 ? "o" + d : "o" + d + " * " + w.stride(d));
            expr.append(w.dilation(d) == 1 ? " + k" + d : " + k" + d + " * " + w.dilation(d));
            if (padBegin[d] != 0) {
                expr.append(" - ").append(padBegin[d]);
            }
            b.addStatement("final int i$L = $L", d, expr);
            boolean canUnderflow = padBegin[d] > 0;
            boolean canOverflow = (out[d] - 1) * w.stride(d) + (w.kernel(d) - 1) * w.dilation(d) - padBegin[d]
                    >= in[d];
            if (canUnderflow && canOverflow) {
                b.beginControlFlow("if (i$L < 0 || i$L >= $L)", d, d, in[d]);
            } else if (canUnderflow) {
                b.beginControlFlow("if (i$L < 0)", d);
            } else if (canOverflow) {
                b.beginControlFlow("if (i$L >= $L)", d, in[d]);
            }
            if (canUnderflow || canOverflow) {
                b.addStatement("continue");
                b.endControlFlow();
            }
        }
        defineTapAndInput(w, in, withTap);
    }

    /**
     * Opens the tap loops of a transposed window (a gather over the scatter TensorFlow defines): output {@code o}
     * receives tap {@code k} of input {@code i} where {@code i * stride + k * dilation - cropBegin == o}. Defines
     * {@code tap} and {@code ip}.
     */
    void openTransposedTaps(Window w, int[] in, int[] cropBegin) {
        for (int d = 0; d < w.rank(); d++) {
            b.beginControlFlow("for (int k$L = 0; k$L < $L; k$L++)", d, d, w.kernel(d), d);
            tapLoops++;
            String t = "o" + d + (cropBegin[d] == 0 ? "" : " + " + cropBegin[d])
                    + (w.dilation(d) == 1 ? " - k" + d : " - k" + d + " * " + w.dilation(d));
            if (w.stride(d) == 1) {
                b.addStatement("final int i$L = $L", d, t);
                b.beginControlFlow("if (i$L < 0 || i$L >= $L)", d, d, in[d]);
            } else {
                b.addStatement("final int t$L = $L", d, t);
                b.beginControlFlow("if (t$L < 0 || t$L % $L != 0 || t$L >= $L)", d, d, w.stride(d), d,
                        in[d] * w.stride(d));
            }
            b.addStatement("continue");
            b.endControlFlow();
            if (w.stride(d) != 1) {
                b.addStatement("final int i$L = t$L / $L", d, d, w.stride(d));
            }
        }
        defineTapAndInput(w, in, true);
    }

    private void defineTapAndInput(Window w, int[] in, boolean withTap) {
        if (withTap) {
            b.addStatement("final int tap = $L", linear("k", w.kernel()));
        }
        b.addStatement("final int ip = $L", linear("i", in));
    }

    void closeTaps() {
        for (; tapLoops > 0; tapLoops--) {
            b.endControlFlow();
        }
    }

    void closeOutputs() {
        closeTaps();
        for (; outputLoops > 0; outputLoops--) {
            b.endControlFlow();
        }
    }

    /** The row-major linear index of {@code prefix0, prefix1, ...} over {@code sizes}, as a Java expression. */
    static String linear(String prefix, int[] sizes) {
        String expr = prefix + 0;
        for (int d = 1; d < sizes.length; d++) {
            expr = (d == 1 ? expr : "(" + expr + ")") + " * " + sizes[d] + " + " + prefix + d;
        }
        return expr;
    }
}
