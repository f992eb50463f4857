package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Gather;
import io.sofie.model.operators.SequenceMask;
import java.util.List;
import java.util.Set;

/**
 * Embedding: each input value (a whole number held in a float) selects a row of the {@code (input_dim, output_dim)}
 * table. With {@code mask_zero} the output carries the mask {@code input != 0} for the recurrent layers after it.
 */
public final class EmbeddingLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Embedding");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        int vocabulary = ctx.requireInt("input_dim");
        int width = ctx.requireInt("output_dim");
        ctx.expectWeightCount(1, "embeddings");
        String table = ctx.addWeight("embeddings", ctx.weight(0, vocabulary, width));
        String y = ctx.outputName(0);
        ctx.add(new Gather(ctx.name(), ctx.input(0), y, table));
        ctx.output(y);
        String mask = null;
        if (ctx.boolParam(false, "mask_zero")) {
            if (ctx.inputShape(0).rank() != 1) {
                throw ctx.unsupported("mask_zero on input " + ctx.inputShape(0) + " (only (timesteps) inputs)");
            }
            mask = ctx.tensor("mask");
            ctx.add(new SequenceMask(ctx.name(), ctx.input(0), List.of(mask), 0f));
        }
        ctx.inputMask(0);
        ctx.outputMask(y, mask);
    }
}
