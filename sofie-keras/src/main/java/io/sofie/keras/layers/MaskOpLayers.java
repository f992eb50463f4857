package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.NotEqual;
import io.sofie.model.operators.SequenceMask;
import java.util.List;
import java.util.Set;

/**
 * The Keras 3 operation nodes a functional config holds when a model builds a mask by hand and passes it to a layer
 * ({@code mask=ops.any(ops.not_equal(x, 0.0), axis=-1)}): NotEqual against a constant, and Any over the last axis.
 * Booleans are floats 1 and 0.
 */
public final class MaskOpLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("NotEqual", "Any");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        String y = ctx.outputName(0);
        if ("NotEqual".equals(ctx.className())) {
            ctx.add(new NotEqual(ctx.name(), ctx.input(0), y, constant(ctx)));
        } else {
            Shape in = ctx.inputShape(0);
            int[] axes = ctx.intsParam("axis");
            boolean lastAxis = axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == in.rank() - 1);
            if (in.rank() != 2 || !lastAxis || ctx.boolParam(false, "keepdims")) {
                throw ctx.unsupported("Any other than over the last axis of a (timesteps, features) tensor without "
                        + "keepdims");
            }
            // any(x) over the features is "some feature differs from 0", which SequenceMask computes.
            ctx.add(new SequenceMask(ctx.name(), ctx.input(0), List.of(y), 0f));
        }
        ctx.output(y);
    }

    /** The constant NotEqual compares with: its one positional argument that is not a tensor. */
    private static float constant(LayerContext ctx) {
        JsonNode args = ctx.call().args();
        for (JsonNode a : args) {
            if (a.isNumber()) {
                return (float) a.asDouble();
            }
        }
        throw ctx.unsupported("NotEqual of two tensors (only a tensor against a constant)");
    }
}
