package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.SequenceMask;
import java.util.List;
import java.util.Set;

/**
 * Masking: a step whose features all equal {@code mask_value} is masked; the output is the input with masked steps
 * zeroed, and carries the mask for the recurrent layers after it.
 */
public final class MaskingLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Masking");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        if (ctx.inputShape(0).rank() != 2) {
            throw ctx.unsupported("Masking of input " + ctx.inputShape(0) + " (only (timesteps, features) inputs)");
        }
        String mask = ctx.tensor("mask");
        String y = ctx.outputName(0);
        ctx.add(new SequenceMask(ctx.name(), ctx.input(0), List.of(mask, y), ctx.floatParam(0f, "mask_value")));
        ctx.output(y);
        ctx.inputMask(0);
        ctx.outputMask(y, mask);
    }
}
