package io.sofie.keras.layers;

import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Gemm;
import java.util.Set;

/** Dense: {@code activation(x W + b)} over the last axis (Keras 1 spells units {@code output_dim}, bias {@code bias}). */
public final class DenseLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Dense");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        Shape in = ctx.inputShape(0);
        if (in.rank() < 1) {
            throw ctx.error("needs an input with at least one axis besides the batch; its input is a scalar per "
                    + "sample: the model config is corrupt; save the model again");
        }
        int units = ctx.requireInt("units", "output_dim");
        boolean useBias = ctx.boolParam(true, "use_bias", "bias");
        ctx.expectWeightCount(useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        KerasWeight kernel = ctx.weight(0, in.dim(-1), units);
        String k = ctx.addWeight("kernel", kernel);
        String b = useBias ? ctx.addWeight("bias", ctx.weight(1, units)) : null;
        String y = ctx.tensor("matmul");
        ctx.add(new Gemm(ctx.name(), ctx.input(0), y, k, b, Activation.IDENTITY));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }
}
