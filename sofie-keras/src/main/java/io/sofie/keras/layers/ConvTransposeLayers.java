package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.ConvTranspose;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import java.util.Map;
import java.util.Set;

/**
 * Conv1DTranspose, Conv2DTranspose and Conv3DTranspose:
 * one ConvTranspose with the layer's kernel {@code (k..., filters, C_in)}, then the activation.
 */
public final class ConvTransposeLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of("Conv1DTranspose", 1, "Conv2DTranspose", 2,
            "Conv3DTranspose", 3);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = SpatialParams.layout(ctx);
        int filters = ctx.requireInt("filters");
        int[] kernel = SpatialParams.kernelSize(ctx, rank);
        Window window = SpatialParams.window(ctx, kernel, SpatialParams.strides(ctx, rank),
                SpatialParams.dilations(ctx, rank), false);
        int[] outputPadding = ctx.has("output_padding") ? SpatialParams.tuple(ctx, rank, 0, "output_padding") : null;
        if (ctx.intParam(1, "groups") != 1) {
            throw ctx.unsupported("groups other than 1 on a transposed convolution");
        }
        int cin = layout.channels(in);
        boolean useBias = ctx.boolParam(true, "use_bias");
        ctx.expectWeightCount(useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        int[] shape = new int[rank + 2];
        System.arraycopy(kernel, 0, shape, 0, rank);
        shape[rank] = filters;
        shape[rank + 1] = cin;
        float[] k = ctx.weight(0, shape).data();
        if (ConvKernels.writtenByTheano(ctx)) {
            k = ConvKernels.flipSpatial(k, kernel, filters * cin);
        }
        String kName = ctx.addWeight("kernel", Shape.of(shape), k);
        String bName = useBias ? ctx.addWeight("bias", ctx.weight(1, filters)) : null;
        String y = ctx.tensor("conv_transpose");
        ctx.add(new ConvTranspose(ctx.name(), ctx.input(0), y, layout, window, outputPadding, kName, bName,
                Activation.IDENTITY));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }
}
