package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Resize;
import java.util.Map;
import java.util.Set;

/**
 * UpSampling1D (Keras 1: {@code length}), UpSampling2D (nearest or bilinear) and UpSampling3D: a Resize by whole
 * factors.
 */
public final class UpSamplingLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of("UpSampling1D", 1, "UpSampling2D", 2,
            "UpSampling3D", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        SpatialParams.spatialInput(ctx, rank);
        Layout layout = rank == 1 ? Layout.CHANNELS_LAST : SpatialParams.layout(ctx);
        int[] size = SpatialParams.tuple(ctx, rank, 2, "size", "length");
        String interpolation = ctx.stringParam("nearest", "interpolation");
        Resize.Mode mode;
        switch (interpolation) {
            case "nearest":
                mode = Resize.Mode.NEAREST;
                break;
            case "bilinear":
                mode = Resize.Mode.LINEAR;
                break;
            default:
                throw ctx.unsupported("interpolation '" + interpolation + "' (nearest and bilinear are)");
        }
        String y = ctx.outputName(0);
        ctx.add(new Resize(ctx.name(), ctx.input(0), y, layout, size, mode));
        ctx.output(y);
    }
}
