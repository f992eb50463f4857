package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Reshape;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.Window;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SkipZeroInputs marks exactly the wide Gemms that read a relu's output, directly or through reshapes. */
class SkipZeroInputsTest {
    private static final Activation RELU = Activation.of(Activation.Kind.RELU);

    @Test
    void marksGemmsReadingAFusedRelu() {
        RModel model = dense(16)
                .addOperator(new Gemm("d1", "x", "h1", "w", null, RELU))
                .addOperator(new Gemm("d2", "h1", "h2", "w", null, Activation.of(Activation.Kind.TANH)))
                .addOperator(new Gemm("d3", "h2", "h3", "w", null, Activation.of(Activation.Kind.RELU6)))
                .addOperator(new Gemm("d4", "h3", "y", "w", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
        assertEquals(List.of(false, true, false, true), skipping(new SkipZeroInputs().apply(model)));
    }

    @Test
    void looksThroughReshapesAndStandaloneActivations() {
        RModel model = dense(16)
                .addOperator(new Gemm("d1", "x", "h1", "w", null, Activation.IDENTITY))
                .addOperator(new Unary("relu", "h1", "r1", Activation.of(Activation.Kind.THRESHOLDED_RELU, 0.5f)))
                .addOperator(new Reshape("flat", "r1", "f1", Shape.of(16)))
                .addOperator(new Gemm("d2", "f1", "h2", "w", null, Activation.IDENTITY))
                .addOperator(new Unary("leaky", "h2", "r2", Activation.clippedRelu(Float.POSITIVE_INFINITY, 0.1f, 0f)))
                .addOperator(new Gemm("d3", "r2", "h3", "w", null, Activation.clippedRelu(6f, 0f, 0f)))
                .addOperator(new Gemm("d4", "h3", "y", "w", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
        assertEquals(List.of(false, true, false, true), skipping(new SkipZeroInputs().apply(model)));
    }

    @Test
    void leavesAConvolutionWithAFoldedGlobalPoolAlone() {
        Window window = Window.of(new int[] {3}, new int[] {1}, new int[] {1}, Window.Padding.SAME);
        Conv conv = new Conv("conv", "x", "c", Layout.CHANNELS_LAST, window, 1, "k", null, RELU);
        RModel pooled = convThenDense(conv.withGlobalPool(Conv.Pooling.MAX, "p"), "p");
        assertSame(pooled, new SkipZeroInputs().apply(pooled));
        assertEquals(List.of(true), skipping(new SkipZeroInputs().apply(convThenDense(conv, "c"))));
    }

    /** A 16-channel convolution of an (8, 16) input, then a 16 -> 16 Dense reading {@code tensor}. */
    private static RModel convThenDense(Conv conv, String tensor) {
        return RModel.builder("m")
                .addInput("x", Shape.of(8, 16))
                .addWeight("k", Shape.of(3, 16, 16), new float[3 * 16 * 16])
                .addWeight("w", Shape.of(16, 16), new float[256])
                .addOperator(conv)
                .addOperator(new Gemm("dense", tensor, "y", "w", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
    }

    @Test
    void leavesNarrowGemmsAlone() {
        RModel model = dense(16)
                .addWeight("narrow", Shape.of(16, 10), new float[160])
                .addOperator(new Gemm("d1", "x", "h1", "w", null, RELU))
                .addOperator(new Gemm("d2", "h1", "y", "narrow", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
        assertSame(model, new SkipZeroInputs().apply(model));
    }

    @Test
    void leavesAModelWithoutReluAlone() {
        RModel model = dense(16)
                .addOperator(new Gemm("d1", "x", "h1", "w", null, Activation.of(Activation.Kind.SIGMOID)))
                .addOperator(new Gemm("d2", "h1", "y", "w", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
        assertSame(model, new SkipZeroInputs().apply(model));
    }

    private static RModel.Builder dense(int n) {
        return RModel.builder("m").addInput("x", Shape.of(n)).addWeight("w", Shape.of(n, n), new float[n * n]);
    }

    private static List<Boolean> skipping(RModel model) {
        return model.operators().stream().filter(op -> op instanceof Gemm).map(op -> ((Gemm) op).skipsZeros())
                .collect(Collectors.toList());
    }
}
