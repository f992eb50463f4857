package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Concat;
import java.util.Set;

/** Concatenate: joins its inputs along {@code axis} (default -1, the last). */
public final class ConcatenateLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Concatenate");
    }

    @Override
    public void translate(LayerContext ctx) {
        if (ctx.inputCount() < 1) {
            throw ctx.error("is called with no inputs; it takes a list of tensors");
        }
        int rank = ctx.inputShape(0).rank();
        int axis = ctx.sampleAxis(ctx.intParam(-1, "axis"), rank);
        String y = ctx.tensor("concat");
        ctx.add(new Concat(ctx.name(), ctx.inputs(), y, axis));
        ctx.output(y);
    }
}
