package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.LocallyConnected;
import java.util.Set;

/**
 * LocallyConnected1D and LocallyConnected2D (Keras 1 and 2; Keras 3 dropped them) in their default implementation 1,
 * whose kernel is {@code (positions, patch, filters)}. Implementations 2 and 3 store other kernel layouts and are
 * refused; Keras itself supports only valid padding here.
 */
public final class LocallyConnectedLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("LocallyConnected1D", "LocallyConnected2D");
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = ctx.className().endsWith("1D") ? 1 : 2;
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = SpatialParams.layout(ctx);
        int implementation = ctx.intParam(1, "implementation");
        if (implementation != 1) {
            throw ctx.unsupported("implementation " + implementation + " (only the default implementation 1)");
        }
        if (!SpatialParams.padding(ctx).equals("valid")) {
            throw ctx.unsupported("padding '" + SpatialParams.padding(ctx) + "' (Keras supports only valid here)");
        }
        int[] kernelSize = SpatialParams.kernelSize(ctx, rank);
        int[] strides = SpatialParams.strides(ctx, rank);
        int filters = ctx.requireInt("filters", "nb_filter");
        int[] spatial = layout.spatial(in);
        int positions = 1;
        int patch = layout.channels(in);
        for (int d = 0; d < rank; d++) {
            positions *= (spatial[d] - kernelSize[d]) / strides[d] + 1;
            patch *= kernelSize[d];
        }
        boolean useBias = ctx.boolParam(true, "use_bias", "bias");
        ctx.expectWeightCount(useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        String kernel = ctx.addWeight("kernel", ctx.weight(0, positions, patch, filters));
        String bias = null;
        if (useBias) {
            // (positions..., filters): one value per output element.
            int[] dims = ctx.weights().get(1).shape().dims();
            int count = 1;
            for (int d : dims) {
                count *= d;
            }
            if (count != positions * filters) {
                throw ctx.error("bias has shape " + ctx.weights().get(1).shape() + " but the config implies "
                        + positions + " positions x " + filters + " filters: the weights do not match the config");
            }
            bias = ctx.addWeight("bias", ctx.weights().get(1));
        }
        String y = ctx.tensor("local");
        ctx.add(new LocallyConnected(ctx.name(), ctx.input(0), y, layout, kernelSize, strides, kernel, bias,
                Activation.IDENTITY));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }
}
