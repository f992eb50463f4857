package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.OneOperator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A global pool folded into the planar convolution before it computes what the two operators compute apart. */
class FuseGlobalPoolTest {
    @ParameterizedTest(name = "in {0}, kernel {1}, stride {2}, {3}, groups {4}, c {5}->{6}, {7}, bias {8}, max {9}")
    @CsvSource({
        "40, 3, 1, VALID, 1, 3, 8, CHANNELS_LAST, true, true",
        "40, 5, 1, SAME, 1, 2, 6, CHANNELS_FIRST, false, false",
        "12x13, 3x3, 1x1, SAME, 1, 3, 4, CHANNELS_LAST, true, false",
        "12x13, 3x3, 1x1, VALID, 2, 4, 6, CHANNELS_FIRST, true, true",
        "9x9, 1x1, 1x1, VALID, 1, 5, 3, CHANNELS_LAST, true, false",
        "16x16, 3x3, 2x2, SAME, 1, 3, 8, CHANNELS_LAST, false, true",
        "6x6x6, 1x2x2, 1x1x1, VALID, 1, 2, 4, CHANNELS_FIRST, true, false",
    })
    void foldedPoolMatchesConvolutionThenPool(String in, String k, String s, String padding, int groups, int cin,
            int cout, String layout, boolean bias, boolean max) {
        Activation tanh = Activation.of(Activation.Kind.TANH);
        RModel model = ConvThenPool.model(in, k, s, Window.Padding.valueOf(padding), groups, cin, cout,
                Layout.valueOf(layout), bias, tanh, max, false);
        RModel fused = new FuseGlobalPool().apply(model);
        assertEquals(1, fused.operators().size());
        Conv conv = (Conv) fused.operators().get(0);
        assertEquals(max ? Conv.Pooling.MAX : Conv.Pooling.AVERAGE, conv.pooling());
        assertEquals(Shape.of(cout), fused.shape("y"));
        ConvThenPool.assertSameOutputs(model, fused);
    }

    @Test
    void poolsThatMustStaySeparateAreLeftAlone() {
        Activation relu = Activation.of(Activation.Kind.RELU);
        // keepdims keeps the spatial axes in the output's shape.
        RModel keepDims = ConvThenPool.model("20x20", "3x3", "1x1", Window.Padding.SAME, 1, 3, 4,
                Layout.CHANNELS_LAST, true, relu, false, true);
        assertSame(keepDims, new FuseGlobalPool().apply(keepDims));
        // Too few positions for the planar kernel: the convolution runs elsewhere, which does not pool.
        RModel small = ConvThenPool.model("4x4", "3x3", "1x1", Window.Padding.VALID, 1, 3, 4,
                Layout.CHANNELS_LAST, true, relu, true, false);
        assertSame(small, new FuseGlobalPool().apply(small));
        // The convolution's output is also read elsewhere.
        RModel.Builder b = RModel.builder("m").addInput("x", Shape.of(20, 20, 3))
                .addWeight("w", Shape.of(3, 3, 3, 4), OneOperator.random(3, 108, 0.5f))
                .addOperator(new Conv("conv", "x", "c", Layout.CHANNELS_LAST, Window.of(new int[] {3, 3},
                        new int[] {1, 1}, new int[] {1, 1}, Window.Padding.SAME), 1, "w", null, relu))
                .addOperator(new GlobalAveragePool("gp", "c", "y", Layout.CHANNELS_LAST, false))
                .addOperator(new Elementwise("sum", Elementwise.Kind.ADD, List.of("c", "c"), "z"));
        RModel shared = b.addOutput("y").addOutput("z").build();
        RModel result = new FuseGlobalPool().apply(shared);
        assertSame(shared, result);
        for (ROperator op : result.operators()) {
            assertTrue(!(op instanceof Conv) || ((Conv) op).pooling() == Conv.Pooling.NONE);
        }
    }
}
