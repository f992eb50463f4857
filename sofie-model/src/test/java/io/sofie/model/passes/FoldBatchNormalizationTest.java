package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.BatchNormalization;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Unary;
import io.sofie.model.testing.CompiledModel;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Folding BatchNormalization into the Gemm before it: same outputs up to rounding, one operator fewer. */
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
