package io.sofie.keras.layers;

import io.sofie.keras.translate.KerasActivations;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Activation.Kind;
import io.sofie.model.operators.Unary;
import java.util.Locale;
import java.util.Set;

/**
 * The Activation layer (a named activation) and the elementwise activation layers with parameters in their config:
 * ReLU, LeakyReLU, ELU and ThresholdedReLU, with the defaults and spellings of Keras 1, 2 and 3.
 */
public final class ActivationLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Activation", "ReLU", "LeakyReLU", "ELU", "ThresholdedReLU");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        if (ctx.className().equals("Activation")) {
            ctx.output(ctx.activate(ctx.input(0), ctx.param("activation")));
            return;
        }
        Activation f = function(ctx);
        String y = ctx.tensor(ctx.className().toLowerCase(Locale.ROOT));
        ctx.add(new Unary(ctx.name(), ctx.input(0), y, f));
        ctx.output(y);
    }

    private static Activation function(LayerContext ctx) {
        switch (ctx.className()) {
            case "ReLU":
                return relu(ctx);
            case "LeakyReLU":
                // Keras 1 and 2 call the slope alpha, Keras 3 negative_slope; the default is 0.3 in all of them
                // (unlike the leaky_relu activation function's 0.2).
                return Activation.of(Kind.LEAKY_RELU, ctx.floatParam(0.3f, "negative_slope", "alpha"));
            case "ELU":
                return Activation.of(Kind.ELU, ctx.floatParam(1f, "alpha"));
            case "ThresholdedReLU":
                return Activation.of(Kind.THRESHOLDED_RELU, ctx.floatParam(1f, "theta"));
            default:
                throw new AssertionError(ctx.className());
        }
    }

    private static Activation relu(LayerContext ctx) {
        float maxValue = ctx.floatParam(Float.POSITIVE_INFINITY, "max_value");
        float slope = ctx.floatParam(0f, "negative_slope");
        float threshold = ctx.floatParam(0f, "threshold");
        if (slope == 0f && threshold == 0f) {
            if (Float.isInfinite(maxValue) && maxValue > 0) {
                return KerasActivations.elementwise(ctx, "relu");
            }
            if (maxValue == 6f) {
                return KerasActivations.elementwise(ctx, "relu6");
            }
        }
        return Activation.clippedRelu(maxValue, slope, threshold);
    }
}
