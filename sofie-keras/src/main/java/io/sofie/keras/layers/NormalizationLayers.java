package io.sofie.keras.layers;

import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.BatchNormalization;
import io.sofie.model.operators.LayerNormalization;
import java.util.Arrays;
import java.util.Set;

/**
 * BatchNormalization (inference: moving statistics) and LayerNormalization.
 *
 * <p>Stored weights come in the layer's own order: gamma if {@code scale}, beta if {@code center}, then moving mean
 * and moving variance. Keras 1 always stores all four (gamma, beta, running_mean, running_std) and its
 * {@code running_std} holds the variance; only its mode 0 uses moving statistics at inference.
 */
public final class NormalizationLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("BatchNormalization", "LayerNormalization");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        if (ctx.className().equals("BatchNormalization")) {
            batchNormalization(ctx);
        } else {
            layerNormalization(ctx);
        }
    }

    private static void batchNormalization(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        int[] axes = ctx.intsParam("axis");
        if (axes != null && axes.length != 1) {
            throw ctx.unsupported("BatchNormalization over several axes " + Arrays.toString(axes));
        }
        int axis = ctx.sampleAxis(axes == null ? -1 : axes[0], in.rank());
        int channels = in.dim(axis);
        double epsilon = ctx.doubleParam(1e-3, "epsilon");
        boolean keras1 = ctx.kerasVersion() == KerasVersion.KERAS_1;
        int mode = ctx.intParam(0, "mode");
        if (keras1 && mode != 0) {
            throw ctx.unsupported("Keras 1 BatchNormalization mode " + mode + " (it normalises with statistics of "
                    + "the batch or sample at inference; only mode 0 uses stored statistics)");
        }
        if (keras1 && ambiguousRunningStd(ctx.kerasVersionString())) {
            throw ctx.unsupported("BatchNormalization saved by Keras " + ctx.kerasVersionString() + " (Keras 1.0 "
                    + "releases kept either a standard deviation or a variance in running_std and the file does not "
                    + "say which; Keras 1.1 and later store the variance)");
        }
        boolean scale = keras1 || ctx.boolParam(true, "scale");
        boolean center = keras1 || ctx.boolParam(true, "center");
        int count = (scale ? 1 : 0) + (center ? 1 : 0) + 2;
        ctx.expectWeightCount(count, (scale ? "gamma, " : "") + (center ? "beta, " : "")
                + "moving mean, moving variance");
        int i = 0;
        String gamma = scale ? ctx.addWeight("gamma", ctx.weight(i++, channels)) : null;
        String beta = center ? ctx.addWeight("beta", ctx.weight(i++, channels)) : null;
        String mean = ctx.addWeight("moving_mean", ctx.weight(i++, channels));
        String variance = ctx.addWeight("moving_variance", ctx.weight(i, channels));
        String y = ctx.tensor("batchnorm");
        ctx.add(new BatchNormalization(ctx.name(), ctx.input(0), y, axis, epsilon, gamma, beta, mean, variance));
        ctx.output(y);
    }

    /**
     * Early Keras 1.0 releases kept a true running standard deviation and divided by {@code std + epsilon}; later
     * ones (as all of 1.1 and 1.2) keep the variance under the same name and divide by {@code sqrt(var + epsilon)}.
     */
    private static boolean ambiguousRunningStd(String version) {
        return version != null && version.startsWith("1.0");
    }

    private static void layerNormalization(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        int[] kerasAxes = ctx.intsParam("axis");
        if (kerasAxes == null) {
            kerasAxes = new int[] {-1};
        }
        int[] axes = new int[kerasAxes.length];
        int size = 1;
        for (int a = 0; a < axes.length; a++) {
            axes[a] = ctx.sampleAxis(kerasAxes[a], in.rank());
            size *= in.dim(axes[a]);
        }
        double epsilon = ctx.doubleParam(1e-3, "epsilon");
        boolean rms = ctx.boolParam(false, "rms_scaling");
        boolean scale = rms || ctx.boolParam(true, "scale");
        boolean center = !rms && ctx.boolParam(true, "center");
        ctx.expectWeightCount((scale ? 1 : 0) + (center ? 1 : 0), (scale ? "gamma" : "")
                + (scale && center ? ", " : "") + (center ? "beta" : ""));
        // gamma and beta span the normalised axes; Keras reshapes them to those axes in sorted order.
        String gamma = scale ? normalizationWeight(ctx, 0, "gamma", size) : null;
        String beta = center ? normalizationWeight(ctx, scale ? 1 : 0, "beta", size) : null;
        String y = ctx.tensor("layernorm");
        ctx.add(new LayerNormalization(ctx.name(), ctx.input(0), y, axes, epsilon, gamma, beta, rms));
        ctx.output(y);
    }

    private static String normalizationWeight(LayerContext ctx, int index, String suffix, int size) {
        KerasWeight w = ctx.weights().get(index);
        if (w.shape().size() != size) {
            throw ctx.error("weight '" + w.name() + "' has shape " + w.shape() + " but the normalised axes hold "
                    + size + " values: the weights do not match the config; save the model again");
        }
        return ctx.addWeight(suffix, Shape.of(size), w.data());
    }
}
