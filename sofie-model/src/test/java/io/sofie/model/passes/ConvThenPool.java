package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.GlobalMaxPool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.OneOperator;
import java.util.Arrays;

/** The models the pool-folding passes' tests start from: a convolution (random weights) then a global pool. */
final class ConvThenPool {
    private ConvThenPool() {
    }

    /** Sizes written {@code 12x13}. */
    static int[] dims(String s) {
        return Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    /** Input "x", convolution "conv" to "c", pool "gp" to output "y". */
    static RModel model(String inS, String kS, String sS, Window.Padding padding, int groups, int cin, int cout,
            Layout layout, boolean bias, Activation activation, boolean max, boolean keepDims) {
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
        b.addOperator(new Conv("conv", "x", "c", layout, Window.of(k, dims(sS), ones, padding), groups, "w",
                bias ? "b" : null, activation));
        b.addOperator(max ? new GlobalMaxPool("gp", "c", "y", layout, keepDims)
                : new GlobalAveragePool("gp", "c", "y", layout, keepDims));
        return b.addOutput("y").build();
    }

    /** Both models, compiled, give the same outputs within 1e-5 on random inputs at batch 3. */
    static void assertSameOutputs(RModel original, RModel rewritten) {
        int batch = 3;
        float[] x = OneOperator.random(9, batch * original.inputs().get(0).shape().size(), 1f);
        float[] expected = CompiledModel.compile(JavaEmitter.emit(original, "t", "Original")).infer(batch, x)[0];
        float[] actual = CompiledModel.compile(JavaEmitter.emit(rewritten, "t", "Rewritten")).infer(batch, x)[0];
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }
}
