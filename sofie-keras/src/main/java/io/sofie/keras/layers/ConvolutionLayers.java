package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import java.util.Map;
import java.util.Set;

/**
 * Conv1D, Conv2D, Conv3D and their Keras 1 names (Convolution1D/2D/3D, AtrousConvolution1D/2D): one Conv operator in
 * the layer's own data format, with the activation applied after (and fused by the optimizer). Kernels and "same"
 * padding of files written by the Theano backend follow Theano (see {@link ConvKernels}, {@link
 * SpatialParams#theanoSame}).
 */
public final class ConvolutionLayers implements LayerTranslator {
    private static final Map<String, Integer> RANKS = Map.of(
            "Conv1D", 1, "Conv2D", 2, "Conv3D", 3,
            "Convolution1D", 1, "Convolution2D", 2, "Convolution3D", 3,
            "AtrousConvolution1D", 1, "AtrousConvolution2D", 2);

    @Override
    public Set<String> classNames() {
        return RANKS.keySet();
    }

    @Override
    public void translate(LayerContext ctx) {
        int rank = RANKS.get(ctx.className());
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = rank == 1 && !ctx.has("data_format") ? Layout.CHANNELS_LAST : SpatialParams.layout(ctx);
        int filters = ctx.requireInt("filters", "nb_filter");
        int[] kernel = SpatialParams.kernelSize(ctx, rank);
        int[] strides = SpatialParams.strides(ctx, rank);
        int[] dilations = SpatialParams.dilations(ctx, rank);
        Window window = SpatialParams.window(ctx, kernel, strides, dilations, true);
        if (window.padding() == Window.Padding.SAME && ConvKernels.writtenByTheano(ctx)) {
            window = SpatialParams.theanoSame(kernel, strides, dilations, layout.spatial(in));
        }
        int groups = ctx.intParam(1, "groups");
        int cin = layout.channels(in);
        if (groups < 1 || cin % groups != 0 || filters % groups != 0) {
            throw ctx.error("groups " + groups + " must divide both the input channels (" + cin + ") and filters ("
                    + filters + ")");
        }
        boolean useBias = ctx.boolParam(true, "use_bias", "bias");
        ctx.expectWeightCount(useBias ? 2 : 1, useBias ? "kernel, bias" : "kernel");
        float[] k = ConvKernels.standard(ctx, 0, kernel, cin / groups, filters, layout);
        String kName = ctx.addWeight("kernel", ConvKernels.shape(kernel, cin / groups, filters), k);
        String bName = useBias ? ctx.addWeight("bias", ctx.weight(1, filters)) : null;
        String y = ctx.tensor("conv");
        ctx.add(new Conv(ctx.name(), ctx.input(0), y, layout, window, groups, kName, bName, Activation.IDENTITY));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }
}
