package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Softmax;
import java.util.Set;

/** The Softmax layer: softmax over {@code axis}, an int or (Keras 2.4+, 3) a list of axes normalised together. */
public final class SoftmaxLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Softmax");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        int rank = ctx.inputShape(0).rank();
        int[] axes = ctx.intsParam("axis");
        if (axes == null) {
            axes = new int[] {-1};
        }
        if (axes.length == 0) {
            throw ctx.error("config 'axis' is an empty list: the config does not match the model");
        }
        int[] sampleAxes = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            sampleAxes[i] = ctx.sampleAxis(axes[i], rank);
        }
        String y = ctx.tensor("softmax");
        ctx.add(new Softmax(ctx.name(), ctx.input(0), y, sampleAxes, false));
        ctx.output(y);
    }
}
