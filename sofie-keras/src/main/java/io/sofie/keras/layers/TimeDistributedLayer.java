package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import java.util.List;
import java.util.Set;

/**
 * TimeDistributed: its {@code layer} applied to every step of the first per-sample axis, with the wrapper's weights
 * (which are the inner layer's). The inner layer is translated by its own translator, seeing per-step shapes.
 * Keras 1's TimeDistributedDense is a Dense over the last axis.
 */
public final class TimeDistributedLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("TimeDistributed", "TimeDistributedDense");
    }

    @Override
    public void translate(LayerContext ctx) {
        if ("TimeDistributedDense".equals(ctx.className())) {
            // Keras 1's Dense over the last axis of (T, features): Gemm already treats leading axes as rows.
            new DenseLayer().translate(ctx);
            return;
        }
        JsonNode inner = ctx.param("layer");
        if (inner == null || !inner.isObject()) {
            throw ctx.error("config has no wrapped 'layer'");
        }
        List<String> outs = ctx.translateEachStep(inner);
        ctx.output(outs.toArray(new String[0]));
    }
}
