package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.AveragePool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.MaxPool;
import io.sofie.model.operators.Window;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * MaxPooling1D/2D/3D and AveragePooling1D/2D/3D (Keras 1 spells 1-D sizes {@code pool_length} and {@code stride}).
 * Strides default to the pool size. "same" pooling of files that record the Theano backend follows Theano (see
 * {@link SpatialParams#theanoSamePool}); Keras 1 files record no backend and get TensorFlow's "same".
 */
public final class PoolingLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of(
            "MaxPooling1D", 1, "MaxPooling2D", 2, "MaxPooling3D", 3,
            "AveragePooling1D", 1, "AveragePooling2D", 2, "AveragePooling3D", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = SpatialParams.layout(ctx);
        int[] pool = SpatialParams.tuple(ctx, rank, 2, "pool_size", "pool_length");
        int[] strides = ctx.has("strides", "stride") ? SpatialParams.tuple(ctx, rank, 1, "strides", "stride")
                : pool.clone();
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        Window window = SpatialParams.window(ctx, pool, strides, ones, false);
        if (window.padding() == Window.Padding.SAME && "theano".equalsIgnoreCase(ctx.backend())) {
            window = SpatialParams.theanoSamePool(pool, strides, layout.spatial(in));
        }
        String y = ctx.outputName(0);
        if (ctx.className().startsWith("Max")) {
            ctx.add(new MaxPool(ctx.name(), ctx.input(0), y, layout, window));
        } else {
            ctx.add(new AveragePool(ctx.name(), ctx.input(0), y, layout, window));
        }
        ctx.output(y);
    }
}
