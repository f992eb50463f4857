package io.sofie.keras.layers;

import io.sofie.keras.translate.KerasActivations;
import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.ConvLSTM;
import java.util.Arrays;
import java.util.Set;

/**
 * ConvLSTM1D/2D/3D, channels last or first: weights kernel (k..., C, 4F), recurrent_kernel (k..., F, 4F), bias (4F), gates
 * i, f, c, o.
 */
public final class ConvLSTMLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        int rank = ctx.className().charAt("ConvLSTM".length()) - '0';
        Shape in = ctx.inputShape(0);
        if (in.rank() != rank + 2) {
            throw ctx.error("takes (time, " + rank + " spatial axes, channels) per sample, not " + in);
        }
        String format = ctx.stringParam("channels_last", "data_format");
        if (!"channels_last".equals(format) && !"channels_first".equals(format)) {
            throw ctx.unsupported("data_format '" + format + "'");
        }
        boolean channelsFirst = "channels_first".equals(format);
        if (ctx.boolParam(false, "return_state")) {
            throw ctx.unsupported("return_state=True");
        }
        if (ctx.boolParam(false, "stateful")) {
            throw ctx.unsupported("stateful=True");
        }
        String padding = ctx.stringParam("valid", "padding").toLowerCase(java.util.Locale.ROOT);
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw ctx.unsupported("padding '" + padding + "'");
        }
        int filters = ctx.requireInt("filters");
        int[] kernelSize = spread(ctx, ctx.intsParam("kernel_size"), rank, "kernel_size");
        int[] strides = spread(ctx, ctx.intsParam("strides"), rank, "strides");
        int[] dilations = spread(ctx, ctx.intsParam("dilation_rate"), rank, "dilation_rate");
        boolean useBias = ctx.boolParam(true, "use_bias");
        ctx.expectWeightCount(useBias ? 3 : 2, useBias ? "kernel, recurrent_kernel, bias" : "kernel, recurrent_kernel");
        int[] k = Arrays.copyOf(kernelSize, rank + 2);
        k[rank] = in.dim(channelsFirst ? 1 : -1);
        k[rank + 1] = 4 * filters;
        int[] u = k.clone();
        u[rank] = filters;
        String kernel = ctx.addWeight("kernel", ctx.weight(0, k));
        String recurrent = ctx.addWeight("recurrent_kernel", ctx.weight(1, u));
        String bias = useBias ? ctx.addWeight("bias", ctx.weight(2, 4 * filters)) : null;
        Activation act = activation(ctx, "activation", "tanh");
        // Keras 3 changed the default recurrent activation from hard_sigmoid to sigmoid.
        Activation rec = activation(ctx, "recurrent_activation",
                ctx.kerasVersion() == KerasVersion.KERAS_3 ? "sigmoid" : "hard_sigmoid");
        String y = ctx.tensor("convlstm");
        ctx.add(new ConvLSTM(ctx.name(), ctx.input(0), y, kernel, recurrent, bias, strides, dilations,
                padding.equals("same"), act, rec, ctx.boolParam(false, "return_sequences"),
                ctx.boolParam(false, "go_backwards"), channelsFirst));
        ctx.output(y);
    }

    private static Activation activation(LayerContext ctx, String key, String defaultName) {
        String name = KerasActivations.name(ctx.param(key));
        return KerasActivations.elementwise(ctx, name == null ? defaultName : name);
    }

    private static int[] spread(LayerContext ctx, int[] v, int rank, String key) {
        if (v == null) {
            int[] ones = new int[rank];
            Arrays.fill(ones, 1);
            if ("kernel_size".equals(key)) {
                throw ctx.error("config has no kernel_size");
            }
            return ones;
        }
        if (v.length == 1 && rank > 1) {
            int[] all = new int[rank];
            Arrays.fill(all, v[0]);
            return all;
        }
        if (v.length != rank) {
            throw ctx.error("config '" + key + "' has " + v.length + " values for a " + rank + "-D layer");
        }
        for (int x : v) {
            if (x < 1) {
                throw ctx.badConfig("config '" + key + "' is " + Arrays.toString(v) + ", not positive sizes");
            }
        }
        return v;
    }
}
