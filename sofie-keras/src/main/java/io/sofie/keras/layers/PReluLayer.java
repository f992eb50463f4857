package io.sofie.keras.layers;

import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.PRelu;
import java.util.Arrays;
import java.util.Set;

/**
 * PReLU: a learned slope for negative inputs, one per position except along {@code shared_axes} (axes of the full
 * tensor, batch first), where one slope is shared. Keras stores the slope ({@code alpha}, Keras 1 {@code alphas})
 * with the input's per-sample shape and size 1 on shared axes.
 */
public final class PReluLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("PReLU");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        ctx.expectWeightCount(1, "alpha");
        Shape in = ctx.inputShape(0);
        int[] expected = in.dims();
        int[] shared = ctx.intsParam("shared_axes");
        if (shared != null) {
            for (int axis : shared) {
                // Keras sets param_shape[axis - 1] over the per-sample shape with Python indexing, so a negative
                // axis lands one further left than it reads (-1 shares the second-to-last axis); the stored weight
                // has that shape, and so must ours.
                int at = axis - 1 < 0 ? axis - 1 + in.rank() : axis - 1;
                if (at < 0 || at >= in.rank()) {
                    throw ctx.error("shared_axes " + Arrays.toString(shared) + " is out of range for "
                            + "inputs of per-sample shape " + in + ": the config does not match the model");
                }
                expected[at] = 1;
            }
        }
        KerasWeight alpha = ctx.weight(0, expected);
        String slope = ctx.addWeight("alpha", alpha);
        String y = ctx.tensor("prelu");
        ctx.add(new PRelu(ctx.name(), ctx.input(0), y, slope));
        ctx.output(y);
    }
}
