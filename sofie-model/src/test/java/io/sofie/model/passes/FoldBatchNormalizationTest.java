package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.BatchNormalization;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.CompiledModel;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Folding BatchNormalization into the Gemm or Conv before it: same outputs up to rounding, one operator fewer. */
class FoldBatchNormalizationTest {
    private final Random rnd = new Random(17);

    private float[] random(int n, float offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() + offset;
        }
        return a;
    }

    private RModel.Builder denseBn(int k, int m, boolean bias) {
        RModel.Builder b = RModel.builder("f").addInput("x", Shape.of(3, k))
                .addWeight("w", Shape.of(k, m), random(k * m, 0))
                .addWeight("g", Shape.of(m), random(m, 1)).addWeight("be", Shape.of(m), random(m, 0))
                .addWeight("mu", Shape.of(m), random(m, 0)).addWeight("var", Shape.of(m), random(m, 3));
        if (bias) {
            b.addWeight("b", Shape.of(m), random(m, 0));
        }
        return b.addOperator(new Gemm("d", "x", "h", "w", bias ? "b" : null, Activation.IDENTITY));
    }

    private static List<String> types(RModel m) {
        return m.operators().stream().map(ROperator::opType).collect(Collectors.toList());
    }

    private static float[] run(RModel m, float[] x) {
        return CompiledModel.compile(JavaEmitter.emit(m, "t", "M")).infer(2, x)[0];
    }

    @Test
    void foldsIntoGemmAndKeepsOutputs() {
        for (boolean bias : new boolean[] {true, false}) {
            RModel m = denseBn(5, 7, bias)
                    .addOperator(new BatchNormalization("bn", "h", "y", -1, 1e-3, "g", "be", "mu", "var"))
                    .addOperator(new Unary("relu", "y", "z", Activation.of(Activation.Kind.RELU)))
                    .addOutput("z").build();
            RModel folded = Optimizer.optimize(m);
            assertEquals(List.of("Gemm"), types(folded));
            float[] x = random(2 * 15, 0);
            double d = CompiledModel.maxAbsDiff(run(m, x), run(folded, x));
            assertTrue(d < 1e-5, "folding changed outputs by " + d);
        }
    }

    @Test
    void foldsIntoConvInEitherLayout() {
        for (Layout layout : Layout.values()) {
            int c = 4;
            int m = 6;
            Shape in = layout == Layout.CHANNELS_LAST ? Shape.of(5, 5, c) : Shape.of(c, 5, 5);
            int axis = layout == Layout.CHANNELS_LAST ? -1 : 0;
            Window window = Window.of(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, Window.Padding.SAME);
            RModel m0 = RModel.builder("f").addInput("x", in)
                    .addWeight("w", Shape.of(3, 3, c, m), random(9 * c * m, 0))
                    .addWeight("b", Shape.of(m), random(m, 0))
                    .addWeight("g", Shape.of(m), random(m, 1)).addWeight("be", Shape.of(m), random(m, 0))
                    .addWeight("mu", Shape.of(m), random(m, 0)).addWeight("var", Shape.of(m), random(m, 3))
                    .addOperator(new Conv("conv", "x", "h", layout, window, 1, "w", "b", Activation.IDENTITY))
                    .addOperator(new BatchNormalization("bn", "h", "y", axis, 1e-3, "g", "be", "mu", "var"))
                    .addOperator(new Unary("relu", "y", "z", Activation.of(Activation.Kind.RELU)))
                    .addOutput("z").build();
            RModel folded = new FuseActivation().apply(new FoldBatchNormalization().apply(m0));
            assertEquals(List.of("Conv"), types(folded), layout.toString());
            float[] x = random(2 * in.size(), 0);
            double d = CompiledModel.maxAbsDiff(run(m0, x), run(folded, x));
            assertTrue(d < 1e-5, layout + ": folding changed outputs by " + d);
        }
    }

    @Test
    void leavesSharedOrNonLastAxisAlone() {
        RModel shared = denseBn(4, 3, true)
                .addOperator(new BatchNormalization("bn", "h", "y", -1, 1e-3, "g", "be", "mu", "var"))
                .addOperator(new Elementwise("add", Elementwise.Kind.ADD, List.of("h", "y"), "z"))
                .addOutput("z").build();
        assertEquals(List.of("Gemm", "BatchNormalization", "Add"), types(new FoldBatchNormalization().apply(shared)));

        RModel.Builder b = RModel.builder("f").addInput("x", Shape.of(3, 4))
                .addWeight("w", Shape.of(4, 3), random(12, 0))
                .addWeight("mu", Shape.of(3), random(3, 0)).addWeight("var", Shape.of(3), random(3, 3));
        RModel otherAxis = b.addOperator(new Gemm("d", "x", "h", "w", null, Activation.IDENTITY))
                .addOperator(new BatchNormalization("bn", "h", "y", 0, 1e-3, null, null, "mu", "var"))
                .addOutput("y").build();
        assertEquals(List.of("Gemm", "BatchNormalization"), types(new FoldBatchNormalization().apply(otherAxis)));
    }
}
