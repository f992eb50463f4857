package io.sofie.keras.layers;

import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Reshape;
import io.sofie.model.operators.Tile;
import io.sofie.model.operators.Transpose;
import java.util.Arrays;
import java.util.Set;

/**
 * Layers that rearrange elements without computing: Flatten, Reshape, Permute, RepeatVector. Reshapes alias their
 * input (no code, no copy).
 */
public final class ReshapingLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Flatten", "Reshape", "Permute", "RepeatVector");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        switch (ctx.className()) {
            case "Flatten":
                flatten(ctx);
                break;
            case "Reshape":
                reshape(ctx);
                break;
            case "Permute":
                permute(ctx);
                break;
            default:
                repeatVector(ctx);
                break;
        }
    }

    /**
     * Keras 2 and 3 Flatten with {@code data_format="channels_first"} moves the channel axis last before flattening,
     * so the flat order is the channels-last one; Keras 1 Flatten has no data_format and flattens as stored.
     */
    private static void flatten(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        String x = ctx.input(0);
        boolean channelsFirst = "channels_first".equals(ctx.stringParam("channels_last", "data_format"))
                && ctx.kerasVersion() != KerasVersion.KERAS_1;
        if (channelsFirst && in.rank() > 1) {
            int[] perm = new int[in.rank()];
            for (int i = 0; i < perm.length - 1; i++) {
                perm[i] = i + 1;
            }
            String t = ctx.tensor("channels_last");
            ctx.add(new Transpose(ctx.name(), x, t, perm));
            x = t;
        }
        String y = ctx.tensor("flatten");
        ctx.add(new Reshape(ctx.name(), x, y, Shape.of(in.size())));
        ctx.output(y);
    }

    private static void reshape(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        int[] target = ctx.intsParam("target_shape");
        if (target == null) {
            throw ctx.error("config has no 'target_shape'");
        }
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (target[i] < 0) {
                throw ctx.error("target_shape " + Arrays.toString(target) + " is not a valid shape");
            } else {
                known *= target[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || in.size() % known != 0) {
                throw ctx.error("cannot reshape " + in + " to " + Arrays.toString(target));
            }
            target[unknown] = (int) (in.size() / known);
        }
        String y = ctx.tensor("reshape");
        ctx.add(new Reshape(ctx.name(), ctx.input(0), y, Shape.of(target)));
        ctx.output(y);
    }

    /** Permute's dims are 1-based (the batch axis is 0 and stays in place). */
    private static void permute(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        int[] dims = ctx.intsParam("dims");
        if (dims == null || dims.length != in.rank()) {
            throw ctx.error("dims " + Arrays.toString(dims) + " do not permute the " + in.rank()
                    + " axes of its input " + in);
        }
        int[] perm = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = dims[i] - 1;
        }
        String y = ctx.tensor("permute");
        ctx.add(new Transpose(ctx.name(), ctx.input(0), y, perm));
        ctx.output(y);
    }

    /** (features) -> (n, features): a row view of the input, tiled n times. */
    private static void repeatVector(LayerContext ctx) {
        Shape in = ctx.inputShape(0);
        if (in.rank() != 1) {
            throw ctx.error("takes inputs of shape (batch, features), got (batch, " + in.toString().substring(1));
        }
        int n = ctx.requireInt("n");
        String row = ctx.tensor("row");
        ctx.add(new Reshape(ctx.name(), ctx.input(0), row, Shape.of(1, in.dim(0))));
        String y = ctx.tensor("repeat");
        ctx.add(new Tile(ctx.name(), row, y, new int[] {n, 1}));
        ctx.output(y);
    }
}
