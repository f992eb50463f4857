package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import java.util.Set;

/** Layers that only act in training (dropout, noise, activity regularisation): at inference they pass x through. */
public final class InferenceIdentityLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D",
                "SpatialDropout2D", "SpatialDropout3D", "ActivityRegularization");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        ctx.output(ctx.input(0));
    }
}
