package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import java.util.Set;

/** The Activation layer: applies a named activation. */
public final class ActivationLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Activation");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        ctx.output(ctx.activate(ctx.input(0), ctx.param("activation")));
    }
}
