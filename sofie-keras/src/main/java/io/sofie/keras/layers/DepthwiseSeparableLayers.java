package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * DepthwiseConv1D/2D and SeparableConv1D/2D (Keras 1: SeparableConvolution2D). A depthwise convolution is a Conv
 * with one group per input channel: its Keras kernel {@code (k..., C, m)} is, element for element, the grouped
 * kernel {@code (k..., 1, C * m)} (output channel {@code c * m + j} reads input channel c). A separable convolution
 * is that depthwise convolution followed by a 1x1 Conv with the pointwise kernel, the bias and the activation.
 */
public final class DepthwiseSeparableLayers implements LayerTranslator {
    private static final Map<String, Integer> DEPTHWISE = Map.of("DepthwiseConv1D", 1, "DepthwiseConv2D", 2);
    private static final Map<String, Integer> SEPARABLE = Map.of("SeparableConv1D", 1, "SeparableConv2D", 2,
            "SeparableConvolution2D", 2);

    @Override
    public Set<String> classNames() {
        return Set.of("DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
                "SeparableConvolution2D");
    }

    @Override
    public void translate(LayerContext ctx) {
        boolean separable = SEPARABLE.containsKey(ctx.className());
        int rank = separable ? SEPARABLE.get(ctx.className()) : DEPTHWISE.get(ctx.className());
        Shape in = SpatialParams.spatialInput(ctx, rank);
        Layout layout = SpatialParams.layout(ctx);
        int cin = layout.channels(in);
        int multiplier = ctx.intParam(1, "depth_multiplier");
        int[] kernel = SpatialParams.kernelSize(ctx, rank);
        Window window = SpatialParams.window(ctx, kernel, SpatialParams.strides(ctx, rank),
                SpatialParams.dilations(ctx, rank), false);
        boolean useBias = ctx.boolParam(true, "use_bias", "bias");
        int weightCount = (separable ? 2 : 1) + (useBias ? 1 : 0);
        ctx.expectWeightCount(weightCount, (separable ? "depthwise kernel, pointwise kernel" : "depthwise kernel")
                + (useBias ? ", bias" : ""));
        float[] depthwise = ConvKernels.standard(ctx, 0, kernel, cin, multiplier, layout);
        String dwName = ctx.addWeight("depthwise_kernel", ConvKernels.shape(kernel, 1, cin * multiplier),
                depthwise);
        int depthwiseOut = cin * multiplier;
        if (!separable) {
            String bName = useBias ? ctx.addWeight("bias", ctx.weight(1, depthwiseOut)) : null;
            String y = ctx.tensor("depthwise");
            ctx.add(new Conv(ctx.name(), ctx.input(0), y, layout, window, cin, dwName, bName, Activation.IDENTITY));
            ctx.output(ctx.activate(y, ctx.param("activation")));
            return;
        }
        int filters = ctx.requireInt("filters", "nb_filter");
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        int[] pointwiseShape = Arrays.copyOf(ones, rank + 2);
        pointwiseShape[rank] = depthwiseOut;
        pointwiseShape[rank + 1] = filters;
        String pwName = ctx.addWeight("pointwise_kernel", ctx.weight(1, pointwiseShape));
        String bName = useBias ? ctx.addWeight("bias", ctx.weight(2, filters)) : null;
        String mid = ctx.tensor("depthwise");
        ctx.add(new Conv(ctx.name() + "_depthwise", ctx.input(0), mid, layout, window, cin, dwName, null,
                Activation.IDENTITY));
        String y = ctx.tensor("pointwise");
        ctx.add(new Conv(ctx.name() + "_pointwise", mid, y, layout,
                Window.of(ones, ones, ones, Window.Padding.VALID), 1, pwName, bName, Activation.IDENTITY));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }
}
