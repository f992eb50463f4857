package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Pad;
import io.sofie.model.operators.Slice;
import java.util.Map;
import java.util.Set;

/**
 * ZeroPadding1D/2D/3D (a Pad) and Cropping1D/2D/3D (a Slice). Amounts are given as one int for every side, one int
 * per axis for both its sides, or a (begin, end) pair per axis (a 1-D layer's pair is its only axis); Keras 1's
 * ZeroPadding2D may give a dict of top_pad, bottom_pad, left_pad, right_pad.
 */
public final class PaddingCroppingLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of(
            "ZeroPadding1D", 1, "ZeroPadding2D", 2, "ZeroPadding3D", 3,
            "Cropping1D", 1, "Cropping2D", 2, "Cropping3D", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = rank == 1 ? Layout.CHANNELS_LAST : SpatialParams.layout(ctx);
        boolean padding = ctx.className().startsWith("ZeroPadding");
        int[][] amounts = amounts(ctx, rank, padding ? "padding" : "cropping");
        int offset = layout == Layout.CHANNELS_LAST ? 0 : 1;
        int[] begin = new int[rank + 1];
        int[] end = new int[rank + 1];
        for (int d = 0; d < rank; d++) {
            begin[d + offset] = amounts[d][0];
            end[d + offset] = amounts[d][1];
        }
        String y = ctx.outputName(0);
        if (padding) {
            ctx.add(new Pad(ctx.name(), ctx.input(0), y, begin, end));
        } else {
            int[] ends = in.dims();
            for (int a = 0; a <= rank; a++) {
                ends[a] -= end[a];
                if (ends[a] <= begin[a]) {
                    throw ctx.error("crops " + begin[a] + " + " + end[a] + " cells off an axis of size " + in.dim(a)
                            + " (input " + in + "): nothing would remain");
                }
            }
            ctx.add(new Slice(ctx.name(), ctx.input(0), y, begin, ends));
        }
        ctx.output(y);
    }

    /** (begin, end) per spatial axis, none negative. */
    private static int[][] amounts(LayerContext ctx, int rank, String key) {
        int[][] out = parseAmounts(ctx, rank, key);
        for (int[] a : out) {
            if (a[0] < 0 || a[1] < 0) {
                throw ctx.error("config '" + key + "' is " + ctx.param(key) + "; amounts must not be negative");
            }
        }
        return out;
    }

    private static int[][] parseAmounts(LayerContext ctx, int rank, String key) {
        JsonNode v = ctx.param(key);
        int[][] out = new int[rank][2];
        if (v == null) {
            // Keras defaults: 1 cell on every side for ZeroPadding and Cropping1D, none for Cropping2D/3D.
            int def = key.equals("padding") || rank == 1 ? 1 : 0;
            for (int[] a : out) {
                a[0] = def;
                a[1] = def;
            }
            return out;
        }
        if (v.isObject()) {
            if (rank != 2) {
                throw ctx.unsupported("'" + key + "' given as " + v);
            }
            out[0][0] = v.path("top_pad").asInt(0);
            out[0][1] = v.path("bottom_pad").asInt(0);
            out[1][0] = v.path("left_pad").asInt(0);
            out[1][1] = v.path("right_pad").asInt(0);
            return out;
        }
        if (v.isNumber()) {
            for (int[] a : out) {
                a[0] = v.asInt();
                a[1] = v.asInt();
            }
            return out;
        }
        if (!v.isArray()) {
            throw ctx.error("config '" + key + "' is " + v + ", not an int or a list");
        }
        if (rank == 1 && v.size() == 2 && v.get(0).isNumber()) {
            out[0][0] = v.get(0).asInt();
            out[0][1] = v.get(1).asInt();
            return out;
        }
        if (v.size() != rank) {
            throw ctx.error("config '" + key + "' is " + v + "; a " + rank + "-D layer needs " + rank + " entries");
        }
        for (int d = 0; d < rank; d++) {
            JsonNode e = v.get(d);
            if (e.isNumber()) {
                out[d][0] = e.asInt();
                out[d][1] = e.asInt();
            } else if (e.isArray() && e.size() == 2 && e.get(0).isNumber() && e.get(1).isNumber()) {
                out[d][0] = e.get(0).asInt();
                out[d][1] = e.get(1).asInt();
            } else {
                throw ctx.error("config '" + key + "' is " + v + "; each entry must be an int or a pair of ints");
            }
        }
        return out;
    }
}
