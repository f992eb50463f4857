package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolutional LSTM over a channels-last sequence {@code (T, S1..Sr, C)}: Keras ConvLSTM1D/2D/3D. Per step, the
 * gate pre-activations {@code z = conv(x_t, W) + b + conv_same(h, U)} (gates i, f, c, o along the last kernel axis,
 * each {@code filters} wide) give {@code c = f * c + i * act(z_c)} and {@code h = o * act(c)}, with i, f, o through
 * the recurrent activation. The input convolution has the layer's strides, dilation and padding; the recurrent one
 * is 'same' with stride and dilation 1. State starts at zero.
 *
 * <p>With channels first the input is (T, C, S1..Sr) and the output (T, F, O1..Or); the state is kept channels last.
 * Kernels are (k1..kr, C, 4F) and (k1..kr, F, 4F) as Keras stores them, so for every tap the inner loop runs over
 * the 4F contiguous gate columns. Output: every step's h {@code (T, O1..Or, F)} or only the last {@code (O1..Or, F)}.
 */
public final class ConvLSTM extends ROperator {
    private final String kernel;
    private final String recurrentKernel;
    private final String bias;
    private final int[] strides;
    private final int[] dilations;
    private final boolean same;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean channelsFirst;

    /**
     * @param bias a (4F) weight or null
     * @param channelsFirst input (T, C, S1..Sr) and output (T, F, O1..Or) instead of channels last
     */
    public ConvLSTM(String name, String input, String output, String kernel, String recurrentKernel, String bias,
            int[] strides, int[] dilations, boolean same, Activation activation, Activation recurrentActivation,
            boolean returnSequences, boolean goBackwards, boolean channelsFirst) {
        super(name, List.of(input), List.of(output));
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
        this.strides = strides.clone();
        this.dilations = dilations.clone();
        this.same = same;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.channelsFirst = channelsFirst;
    }

    @Override
    public String opType() {
        return "ConvLSTM";
    }

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>(List.of(kernel, recurrentKernel));
        if (bias != null) {
            w.add(bias);
        }
        return w;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        int r = strides.length;
        Shape k = weights.weight(kernel).shape();
        Shape u = weights.weight(recurrentKernel).shape();
        if (x.rank() != r + 2 || k.rank() != r + 2 || dilations.length != r) {
            throw new ModelException("ConvLSTM " + name() + ": input " + x + " and kernel " + k + " do not fit a "
                    + r + "-D convolution over (T, spatial..., channels)");
        }
        int filters4 = k.dim(-1);
        int filters = filters4 / 4;
        int channelAxis = channelsFirst ? 1 : r + 1;
        int firstSpatial = channelsFirst ? 2 : 1;
        boolean ok = filters4 % 4 == 0 && k.dim(r) == x.dim(channelAxis) && u.rank() == r + 2 && u.dim(r) == filters
                && u.dim(-1) == filters4;
        for (int d = 0; ok && d < r; d++) {
            ok = u.dim(d) == k.dim(d);
        }
        if (!ok || (bias != null && !weights.weight(bias).shape().equals(Shape.of(filters4)))) {
            throw new ModelException("ConvLSTM " + name() + ": kernel " + k + ", recurrent kernel " + u
                    + (bias == null ? "" : ", bias " + weights.weight(bias).shape()) + " do not fit input " + x);
        }
        int[] out = new int[returnSequences ? r + 2 : r + 1];
        int o = 0;
        if (returnSequences) {
            out[o++] = x.dim(0);
        }
        if (channelsFirst) {
            out[o++] = filters;
        }
        for (int d = 0; d < r; d++) {
            int size = outSize(x.dim(d + firstSpatial), k.dim(d), d);
            if (size < 1) {
                throw new ModelException("ConvLSTM " + name() + ": kernel " + k + " does not fit input " + x);
            }
            out[o++] = size;
        }
        if (!channelsFirst) {
            out[o] = filters;
        }
        return List.of(Shape.of(out));
    }

    private int outSize(int in, int k, int d) {
        int span = (k - 1) * dilations[d] + 1;
        return same ? (in + strides[d] - 1) / strides[d] : (in - span) / strides[d] + 1;
    }

    /** 'same' pads (total / 2) before, the rest after, total being what makes ceil(in / stride) outputs. */
    private int padBefore(int in, int k, int d) {
        if (!same) {
            return 0;
        }
        int span = (k - 1) * dilations[d] + 1;
        int total = Math.max(0, (outSize(in, k, d) - 1) * strides[d] + span - in);
        return total / 2;
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        Shape k = code.weightShape(kernel);
        int r = strides.length;
        int steps = x.dim(0);
        int channels = x.dim(channelsFirst ? 1 : -1);
        int firstSpatial = channelsFirst ? 2 : 1;
        int f4 = k.dim(-1);
        int filters = f4 / 4;
        int[] in = new int[r];
        int[] out = new int[r];
        int[] taps = new int[r];
        int[] pads = new int[r];
        int[] recPads = new int[r];
        int positions = 1;
        int inPositions = 1;
        for (int d = 0; d < r; d++) {
            in[d] = x.dim(d + firstSpatial);
            taps[d] = k.dim(d);
            out[d] = outSize(in[d], taps[d], d);
            pads[d] = padBefore(in[d], taps[d], d);
            // The recurrent convolution is 'same' with stride 1: (k - 1) / 2 before.
            recPads[d] = (taps[d] - 1) / 2;
            positions *= out[d];
            inPositions *= in[d];
        }
        int stepSize = x.size(1, x.rank());
        int state = positions * filters;
        String xa = code.in(0);
        String ya = code.out(0);
        String h = code.scratch(0, state);
        String c = code.scratch(1, state);
        String z = code.scratch(2, positions * f4);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] w = $L", code.weight(kernel));
        b.addStatement("final float[] u = $L", code.weight(recurrentKernel));
        if (bias != null) {
            b.addStatement("final float[] bias = $L", code.weight(bias));
        }
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.addStatement("java.util.Arrays.fill($L, 0, $L, 0f)", h, state);
        b.addStatement("java.util.Arrays.fill($L, 0, $L, 0f)", c, state);
        b.beginControlFlow("for (int step = 0; step < $L; step++)", steps);
        b.addStatement("final int t = $L", goBackwards ? (steps - 1) + " - step" : "step");
        b.addStatement("final int xb = (s * $L + t) * $L", steps, stepSize);
        // z = bias, then the input taps, then the recurrent taps.
        b.beginControlFlow("for (int p = 0; p < $L; p++)", positions);
        if (bias != null) {
            b.addStatement("System.arraycopy(bias, 0, $L, p * $L, $L)", z, f4, f4);
        } else {
            b.addStatement("java.util.Arrays.fill($L, p * $L, (p + 1) * $L, 0f)", z, f4, f4);
        }
        b.endControlFlow();
        emitTaps(b, "in", out, in, taps, strides, dilations, pads, channels, f4, xa, "xb", "w", z,
                channelsFirst ? 1 : channels, channelsFirst ? inPositions : 1);
        int[] ones = new int[r];
        java.util.Arrays.fill(ones, 1);
        emitTaps(b, "rec", out, out, taps, ones, ones, recPads, filters, f4, h, "0", "u", z, filters, 1);
        b.beginControlFlow("for (int p = 0; p < $L; p++)", positions);
        b.addStatement("final int zo = p * $L", f4);
        b.addStatement("final int so = p * $L", filters);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", filters);
        b.addStatement("final float vi = $L[zo + j], vf = $L[zo + $L + j], vc = $L[zo + $L + j], vo = $L[zo + $L + j]",
                z, z, filters, z, 2 * filters, z, 3 * filters);
        b.addStatement("final float gi = $L", recurrentActivation.apply("vi", code));
        b.addStatement("final float gf = $L", recurrentActivation.apply("vf", code));
        b.addStatement("final float gc = $L", activation.apply("vc", code));
        b.addStatement("final float go = $L", recurrentActivation.apply("vo", code));
        b.addStatement("final float cn = gf * $L[so + j] + gi * gc", c);
        b.addStatement("$L[so + j] = cn", c);
        b.addStatement("$L[so + j] = go * $L", h, activation.apply("cn", code));
        b.endControlFlow();
        b.endControlFlow();
        if (returnSequences) {
            emitOutput(b, h, ya, "(s * " + steps + " + step) * " + state, positions, filters);
        }
        b.endControlFlow();
        if (!returnSequences) {
            emitOutput(b, h, ya, "s * " + state, positions, filters);
        }
        b.endControlFlow();
    }

    /** Writes the state h (positions, F) to the output in its layout. */
    private void emitOutput(CodeBlock.Builder b, String h, String y, String base, int positions, int filters) {
        if (!channelsFirst) {
            b.addStatement("System.arraycopy($L, 0, $L, $L, $L)", h, y, base, positions * filters);
            return;
        }
        b.addStatement("final int yb = $L", base);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", filters);
        b.beginControlFlow("for (int p = 0; p < $L; p++)", positions);
        b.addStatement("$L[yb + j * $L + p] = $L[p * $L + j]", y, positions, h, filters);
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * z[p, :] += sum over taps and source channels of src[pos(p, tap), ch] * kernel[tap, ch, :], over output
     * positions p; taps falling into the padding are skipped.
     */
    private static void emitTaps(CodeBlock.Builder b, String tag, int[] out, int[] in, int[] taps, int[] strides,
            int[] dilations, int[] pads, int channels, int f4, String src, String srcBase, String kernel,
            String z, int positionStride, int channelStride) {
        int r = out.length;
        for (int d = 0; d < r; d++) {
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", tag + "P" + d, tag + "P" + d, out[d],
                    tag + "P" + d);
        }
        StringBuilder pos = new StringBuilder("0");
        for (int d = 0; d < r; d++) {
            pos.insert(0, "(").append(") * ").append(out[d]).append(" + ").append(tag).append("P").append(d);
        }
        b.addStatement("final int $LZ = ($L) * $L", tag, pos, f4);
        String srcIndex = "0";
        String tapIndex = "0";
        for (int d = 0; d < r; d++) {
            String kd = tag + "K" + d;
            String id = tag + "I" + d;
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", kd, kd, taps[d], kd);
            b.addStatement("final int $L = $L * $L - $L + $L * $L", id, tag + "P" + d, strides[d], pads[d], kd,
                    dilations[d]);
            b.beginControlFlow("if ($L < 0 || $L >= $L)", id, id, in[d]);
            b.addStatement("continue");
            b.endControlFlow();
            srcIndex = "(" + srcIndex + ") * " + in[d] + " + " + id;
            tapIndex = "(" + tapIndex + ") * " + taps[d] + " + " + kd;
        }
        b.addStatement("final int $LS = $L + ($L) * $L", tag, srcBase, srcIndex, positionStride);
        b.addStatement("final int $LW = ($L) * $L", tag, tapIndex, channels * f4);
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", channels);
        b.addStatement("final float a = $L[$LS + ch * $L]", src, tag, channelStride);
        b.addStatement("final int wo = $LW + ch * $L", tag, f4);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", f4);
        b.addStatement("$L[$LZ + j] += a * $L[wo + j]", z, tag, kernel);
        b.endControlFlow();
        b.endControlFlow();
        for (int d = 0; d < 2 * r; d++) {
            b.endControlFlow();
        }
    }

    @Override
    public String describe() {
        return "ConvLSTM" + strides.length + "D(" + (same ? "same" : "valid") + (goBackwards ? ", backwards" : "")
                + (returnSequences ? ", sequences" : "") + ")";
    }
}
