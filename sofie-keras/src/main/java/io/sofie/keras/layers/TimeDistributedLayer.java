package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import java.util.List;
import java.util.Set;

/**
 * TimeDistributed: its {@code layer} applied to every step of the first per-sample axis, with the wrapper's weights
 * (which are the inner layer's). The inner layer is translated by its own translator, seeing per-step shapes.
 */
public final class TimeDistributedLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("TimeDistributed");
    }

    @Override
    public void translate(LayerContext ctx) {
        JsonNode inner = ctx.param("layer");
        if (inner == null || !inner.isObject()) {
            throw ctx.error("config has no wrapped 'layer'");
        }
        List<String> outs = ctx.translateEachStep(inner);
        ctx.output(outs.toArray(new String[0]));
    }
}
