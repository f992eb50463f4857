package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.Arrays;
import java.util.List;

/**
 * Upsampling of the spatial axes by whole factors (ONNX Resize): Keras UpSampling1D/2D/3D.
 *
 * <ul>
 *   <li>{@link Mode#NEAREST}: output cell o reads input cell {@code o / factor} (each cell repeated), any rank.</li>
 *   <li>{@link Mode#LINEAR}: bilinear over exactly two spatial axes, no antialiasing: output cell o samples source
 *       coordinate s, blended between floor(s) and the next cell (clamped to the edge). With
 *       {@link Coordinates#HALF_PIXEL} (TensorFlow 2, PyTorch) {@code s = max(0, (o + 0.5) * in / out - 0.5)}; with
 *       {@link Coordinates#ASYMMETRIC} (TensorFlow 1's {@code resize_bilinear}) {@code s = o * in / out}.</li>
 * </ul>
 */
public final class Resize extends ROperator {
    /** The interpolation. */
    public enum Mode {
        NEAREST, LINEAR
    }

    /** How an output coordinate maps to a source coordinate (ONNX coordinate_transformation_mode), for LINEAR. */
    public enum Coordinates {
        HALF_PIXEL, ASYMMETRIC
    }

    private final Layout layout;
    private final int[] factors;
    private final Mode mode;
    private final Coordinates coordinates;

    /** Nearest, or linear with half-pixel coordinates. */
    public Resize(String name, String input, String output, Layout layout, int[] factors, Mode mode) {
        this(name, input, output, layout, factors, mode, Coordinates.HALF_PIXEL);
    }

    /** @param factors one whole factor per spatial axis */
    public Resize(String name, String input, String output, Layout layout, int[] factors, Mode mode,
            Coordinates coordinates) {
        super(name, List.of(input), List.of(output));
        if (Arrays.stream(factors).anyMatch(f -> f < 1)) {
            throw new ModelException("Resize " + name + ": factors " + Arrays.toString(factors) + " must be >= 1");
        }
        if (mode == Mode.LINEAR && factors.length != 2) {
            throw new ModelException("Resize " + name + ": linear interpolation is implemented for 2 spatial axes");
        }
        this.layout = layout;
        this.factors = factors.clone();
        this.mode = mode;
        this.coordinates = coordinates;
    }

    @Override
    public String opType() {
        return "Resize";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        layout.requireRank(x, factors.length, "Resize " + name());
        int[] sp = layout.spatial(x);
        for (int d = 0; d < sp.length; d++) {
            sp[d] *= factors[d];
        }
        return List.of(layout.shape(sp, layout.channels(x)));
    }

    /** Per-sample axis factors, channel axis included (factor 1). */
    private int[] axisFactors(int rank) {
        int[] f = new int[rank];
        Arrays.fill(f, 1);
        System.arraycopy(factors, 0, f, layout == Layout.CHANNELS_LAST ? 0 : 1, factors.length);
        return f;
    }

    @Override
    public void emit(OperatorCode code) {
        if (mode == Mode.LINEAR) {
            emitBilinear(code);
        } else {
            emitNearest(code);
        }
    }

    private void emitNearest(OperatorCode code) {
        int[] in = code.inShape(0).dims();
        int[] out = code.outShape(0).dims();
        int[] f = axisFactors(in.length);
        int r = in.length;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        for (int a = 0; a < r - 1; a++) {
            b.beginControlFlow("for (int a$L = 0; a$L < $L; a$L++)", a, a, out[a], a);
        }
        StringBuilder xo = new StringBuilder("sample");
        StringBuilder yo = new StringBuilder("sample");
        for (int a = 0; a < r - 1; a++) {
            xo.insert(0, "(").append(") * ").append(in[a]).append(" + ").append(f[a] == 1 ? "a" + a : "a" + a
                    + " / " + f[a]);
            yo.insert(0, "(").append(") * ").append(out[a]).append(" + a").append(a);
        }
        b.addStatement("final int xo = ($L) * $L", xo, in[r - 1]);
        b.addStatement("final int yo = ($L) * $L", yo, out[r - 1]);
        if (f[r - 1] == 1) {
            b.addStatement("System.arraycopy($L, xo, $L, yo, $L)", x, y, out[r - 1]);
        } else {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", out[r - 1]);
            b.addStatement("$L[yo + j] = $L[xo + j / $L]", y, x, f[r - 1]);
            b.endControlFlow();
        }
        for (int a = 0; a < r - 1; a++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    private void emitBilinear(OperatorCode code) {
        Shape xs = code.inShape(0);
        Shape ys = code.outShape(0);
        int[] in = layout.spatial(xs);
        int[] out = layout.spatial(ys);
        int c = layout.channels(xs);
        boolean last = layout == Layout.CHANNELS_LAST;
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        b.addStatement("final int xb = sample * $L", xs.size());
        b.addStatement("final int yb = sample * $L", ys.size());
        for (int d = 0; d < 2; d++) {
            if (d == 0) {
                b.beginControlFlow("for (int o0 = 0; o0 < $L; o0++)", out[0]);
            } else {
                b.beginControlFlow("for (int o1 = 0; o1 < $L; o1++)", out[1]);
            }
            if (coordinates == Coordinates.HALF_PIXEL) {
                b.addStatement("final float s$L = Math.max(0f, (o$L + 0.5f) * $Lf - 0.5f)", d, d,
                        (float) in[d] / out[d]);
            } else {
                b.addStatement("final float s$L = o$L * $Lf", d, d, (float) in[d] / out[d]);
            }
            b.addStatement("final int lo$L = (int) s$L", d, d);
            b.addStatement("final int hi$L = Math.min(lo$L + 1, $L)", d, d, in[d] - 1);
            b.addStatement("final float l$L = s$L - lo$L", d, d, d);
        }
        String cs = last ? "" : " * " + (in[0] * in[1]);
        String pm = last ? " * " + c : "";
        b.addStatement("final int p00 = xb + (lo0 * $L + lo1)$L", in[1], pm);
        b.addStatement("final int p01 = xb + (lo0 * $L + hi1)$L", in[1], pm);
        b.addStatement("final int p10 = xb + (hi0 * $L + lo1)$L", in[1], pm);
        b.addStatement("final int p11 = xb + (hi0 * $L + hi1)$L", in[1], pm);
        b.addStatement("final int yo = yb + (o0 * $L + o1)$L", out[1], pm);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", c);
        b.addStatement("final int cj = j$L", cs);
        b.addStatement("final float top = (1f - l1) * $L[p00 + cj] + l1 * $L[p01 + cj]", x, x);
        b.addStatement("final float bottom = (1f - l1) * $L[p10 + cj] + l1 * $L[p11 + cj]", x, x);
        b.addStatement("$L[yo + j$L] = (1f - l0) * top + l0 * bottom", y, last ? "" : " * " + (out[0] * out[1]));
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Resize " + mode.name().toLowerCase(java.util.Locale.ROOT)
                + (mode == Mode.LINEAR ? " " + coordinates.name().toLowerCase(java.util.Locale.ROOT) : "")
                + " x" + Arrays.toString(factors) + ", " + layout;
    }
}
