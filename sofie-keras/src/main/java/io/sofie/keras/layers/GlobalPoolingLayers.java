package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.GlobalMaxPool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.MaskedGlobalAveragePool;
import java.util.Map;
import java.util.Set;

/** GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D, with {@code keepdims}; masked 1D averages. */
public final class GlobalPoolingLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of(
            "GlobalMaxPooling1D", 1, "GlobalMaxPooling2D", 2, "GlobalMaxPooling3D", 3,
            "GlobalAveragePooling1D", 1, "GlobalAveragePooling2D", 2, "GlobalAveragePooling3D", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        SpatialParams.spatialInput(ctx, rank);
        Layout layout = SpatialParams.layout(ctx);
        boolean keepDims = ctx.boolParam(false, "keepdims");
        String y = ctx.outputName(0);
        // Keras averages only the kept steps when a mask (Embedding mask_zero, Masking) reaches the 1D average.
        String mask = ctx.className().equals("GlobalAveragePooling1D") ? ctx.inputMask(0) : null;
        if (mask != null) {
            ctx.add(new MaskedGlobalAveragePool(ctx.name(), ctx.input(0), mask, y, layout, keepDims));
        } else if (ctx.className().startsWith("GlobalMax")) {
            ctx.add(new GlobalMaxPool(ctx.name(), ctx.input(0), y, layout, keepDims));
        } else {
            ctx.add(new GlobalAveragePool(ctx.name(), ctx.input(0), y, layout, keepDims));
        }
        ctx.output(y);
    }
}
