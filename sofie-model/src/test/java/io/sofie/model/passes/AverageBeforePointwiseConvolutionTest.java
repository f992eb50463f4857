package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.GlobalMaxPool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.OneOperator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A linear pointwise convolution and the global average after it, turned into the average and a Dense product. */
class AverageBeforePointwiseConvolutionTest {
    private static int[] dims(String s) {
        return Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    /** Conv (kernel, stride, groups, activation as given; random weights) then a global pool. */
    private static RModel convThenPool(String inS, String kS, String sS, int groups, int cin, int cout, Layout layout,
            boolean bias, Activation activation, boolean max, boolean keepDims) {
        int[] in = dims(inS);
        int[] k = dims(kS);
        int rank = in.length;
        int[] ones = new int[rank];
        Arrays.fill(ones, 1);
        int[] w = Arrays.copyOf(k, rank + 2);
        w[rank] = cin / groups;
        w[rank + 1] = cout;
        Shape ws = Shape.of(w);
        RModel.Builder b = RModel.builder("m").addInput("x", layout.shape(in, cin))
                .addWeight("w", ws, OneOperator.random(3, ws.size(), 0.5f));
        if (bias) {
            b.addWeight("b", Shape.of(cout), OneOperator.random(4, cout, 0.5f));
        }
        b.addOperator(new Conv("conv", "x", "c", layout, Window.of(k, dims(sS), ones, Window.Padding.SAME), groups,
                "w", bias ? "b" : null, activation));
        b.addOperator(max ? new GlobalMaxPool("gp", "c", "y", layout, keepDims)
                : new GlobalAveragePool("gp", "c", "y", layout, keepDims));
        return b.addOutput("y").build();
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
        RModel model = convThenPool(in, ones, ones, 1, cin, cout, Layout.valueOf(layout), bias, Activation.IDENTITY,
                false, false);
        RModel rewritten = new AverageBeforePointwiseConvolution().apply(model);
        assertEquals(2, rewritten.operators().size());
        assertTrue(rewritten.operators().get(0) instanceof GlobalAveragePool);
        Gemm gemm = (Gemm) rewritten.operators().get(1);
        assertEquals(Shape.of(cin, cout), rewritten.weight(gemm.kernel()).shape());
        assertEquals(Shape.of(cout), rewritten.shape("y"));
        int batch = 3;
        float[] x = OneOperator.random(9, batch * model.inputs().get(0).shape().size(), 1f);
        float[] expected = CompiledModel.compile(JavaEmitter.emit(model, "t", "Apart")).infer(batch, x)[0];
        float[] actual = CompiledModel.compile(JavaEmitter.emit(rewritten, "t", "Rewritten")).infer(batch, x)[0];
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    @Test
    void leavesAloneWhatDoesNotCommuteWithTheAverage() {
        Activation relu = Activation.of(Activation.Kind.RELU);
        AverageBeforePointwiseConvolution pass = new AverageBeforePointwiseConvolution();
        Layout last = Layout.CHANNELS_LAST;
        // An activation between the product and the average.
        RModel activated = convThenPool("8x8", "1x1", "1x1", 1, 4, 4, last, true, relu, false, false);
        assertSame(activated, pass.apply(activated));
        // A window: positions near the border see padding.
        RModel window = convThenPool("8x8", "3x3", "1x1", 1, 4, 4, last, true, Activation.IDENTITY, false, false);
        assertSame(window, pass.apply(window));
        // A stride: the average then covers only some input positions.
        RModel strided = convThenPool("8x8", "1x1", "2x2", 1, 4, 4, last, true, Activation.IDENTITY, false, false);
        assertSame(strided, pass.apply(strided));
        // Groups, a maximum instead of a mean, spatial axes kept.
        RModel grouped = convThenPool("8x8", "1x1", "1x1", 2, 4, 4, last, true, Activation.IDENTITY, false, false);
        assertSame(grouped, pass.apply(grouped));
        RModel max = convThenPool("8x8", "1x1", "1x1", 1, 4, 4, last, true, Activation.IDENTITY, true, false);
        assertSame(max, pass.apply(max));
        RModel keepDims = convThenPool("8x8", "1x1", "1x1", 1, 4, 4, last, true, Activation.IDENTITY, false, true);
        assertSame(keepDims, pass.apply(keepDims));
        // The convolution's output read elsewhere too.
        RModel shared = RModel.builder("m").addInput("x", Shape.of(8, 8, 4))
                .addWeight("w", Shape.of(1, 1, 4, 4), OneOperator.random(3, 16, 0.5f))
                .addOperator(new Conv("conv", "x", "c", last, Window.of(new int[] {1, 1}, new int[] {1, 1},
                        new int[] {1, 1}, Window.Padding.VALID), 1, "w", null, Activation.IDENTITY))
                .addOperator(new GlobalAveragePool("gp", "c", "y", last, false))
                .addOperator(new Elementwise("sum", Elementwise.Kind.ADD, List.of("c", "c"), "z"))
                .addOutput("y").addOutput("z").build();
        assertSame(shared, pass.apply(shared));
    }
}
