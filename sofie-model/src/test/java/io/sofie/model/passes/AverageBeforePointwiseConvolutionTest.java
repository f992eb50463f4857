package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.OneOperator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A linear pointwise convolution and the global average after it, turned into the average and a Dense product. */
class AverageBeforePointwiseConvolutionTest {
    private static final AverageBeforePointwiseConvolution PASS = new AverageBeforePointwiseConvolution();

    /** Conv (same padding) then a global pool over 8 x 8 x 4, channels-last. */
    private static RModel convThenPool(String kernel, String strides, int groups, Activation activation, boolean max,
            boolean keepDims) {
        return ConvThenPool.model("8x8", kernel, strides, Window.Padding.SAME, groups, 4, 4, Layout.CHANNELS_LAST,
                true, activation, max, keepDims);
    }

    @ParameterizedTest(name = "in {0}, c {1}->{2}, {3}, bias {4}")
    @CsvSource({
        "19x19, 32, 32, CHANNELS_LAST, true",
        "7x9, 5, 3, CHANNELS_FIRST, true",
        "30, 4, 6, CHANNELS_LAST, false",
        "3x4x5, 2, 7, CHANNELS_FIRST, false",
    })
    void averagesFirstAndComputesWhatTheConvolutionThenAverageDo(String in, int cin, int cout, String layout,
            boolean bias) {
        String ones = in.replaceAll("[0-9]+", "1");
        RModel model = ConvThenPool.model(in, ones, ones, Window.Padding.SAME, 1, cin, cout, Layout.valueOf(layout),
                bias, Activation.IDENTITY, false, false);
        RModel rewritten = PASS.apply(model);
        assertEquals(2, rewritten.operators().size());
        assertTrue(rewritten.operators().get(0) instanceof GlobalAveragePool);
        Gemm gemm = (Gemm) rewritten.operators().get(1);
        assertEquals(Shape.of(cin, cout), rewritten.weight(gemm.kernel()).shape());
        assertEquals(Shape.of(cout), rewritten.shape("y"));
        ConvThenPool.assertSameOutputs(model, rewritten);
    }

    @Test
    void leavesAloneWhatDoesNotCommuteWithTheAverage() {
        Activation linear = Activation.IDENTITY;
        // An activation between the product and the average.
        RModel activated = convThenPool("1x1", "1x1", 1, Activation.of(Activation.Kind.RELU), false, false);
        assertSame(activated, PASS.apply(activated));
        // A window: positions near the border see padding.
        RModel window = convThenPool("3x3", "1x1", 1, linear, false, false);
        assertSame(window, PASS.apply(window));
        // A stride: the average then covers only some input positions.
        RModel strided = convThenPool("1x1", "2x2", 1, linear, false, false);
        assertSame(strided, PASS.apply(strided));
        // Groups, a maximum instead of a mean, spatial axes kept.
        RModel grouped = convThenPool("1x1", "1x1", 2, linear, false, false);
        assertSame(grouped, PASS.apply(grouped));
        RModel max = convThenPool("1x1", "1x1", 1, linear, true, false);
        assertSame(max, PASS.apply(max));
        RModel keepDims = convThenPool("1x1", "1x1", 1, linear, false, true);
        assertSame(keepDims, PASS.apply(keepDims));
        // The convolution's output read elsewhere too.
        Layout last = Layout.CHANNELS_LAST;
        RModel shared = RModel.builder("m").addInput("x", Shape.of(8, 8, 4))
                .addWeight("w", Shape.of(1, 1, 4, 4), OneOperator.random(3, 16, 0.5f))
                .addOperator(new Conv("conv", "x", "c", last, Window.of(new int[] {1, 1}, new int[] {1, 1},
                        new int[] {1, 1}, Window.Padding.VALID), 1, "w", null, linear))
                .addOperator(new GlobalAveragePool("gp", "c", "y", last, false))
                .addOperator(new Elementwise("sum", Elementwise.Kind.ADD, List.of("c", "c"), "z"))
                .addOutput("y").addOutput("z").build();
        assertSame(shared, PASS.apply(shared));
    }
}
