package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.ConvTranspose;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FuseActivation folds a following activation into Conv and ConvTranspose, without changing results. */
class FuseActivationConvTest {
    private static final Window WINDOW = Window.of(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
            Window.Padding.SAME);

    @Test
    void fusesIntoConvAndConvTranspose() {
        RModel model = base()
                .addOperator(new Conv("conv", "x", "c", Layout.CHANNELS_LAST, WINDOW, 1, "w", "b",
                        Activation.IDENTITY))
                .addOperator(new Unary("act", "c", "a", Activation.of(Activation.Kind.ELU, 1f)))
                .addOperator(new ConvTranspose("deconv", "a", "d", Layout.CHANNELS_LAST, WINDOW, null, "wt", null,
                        Activation.IDENTITY))
                .addOperator(new Unary("act2", "d", "y", Activation.of(Activation.Kind.TANH)))
                .addOutput("y")
                .build();
        RModel fused = new FuseActivation().apply(model);
        assertEquals(2, fused.operators().size());
        assertEquals(Activation.Kind.ELU, ((Conv) fused.operators().get(0)).activation().kind());
        assertEquals(Activation.Kind.TANH, ((ConvTranspose) fused.operators().get(1)).activation().kind());
        float[] x = new float[2 * 5 * 6 * 2];
        Random rnd = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        float[] plain = CompiledModel.compile(JavaEmitter.emit(model, "t", "Plain")).infer(2, x)[0];
        float[] withFusion = CompiledModel.compile(JavaEmitter.emit(fused, "t", "Fused")).infer(2, x)[0];
        assertTrue(CompiledModel.maxAbsDiff(plain, withFusion) == 0);
    }

    @Test
    void keepsAConvOutputThatIsAlsoAModelOutput() {
        RModel model = base()
                .addOperator(new Conv("conv", "x", "c", Layout.CHANNELS_LAST, WINDOW, 1, "w", "b",
                        Activation.IDENTITY))
                .addOperator(new Unary("act", "c", "y", Activation.of(Activation.Kind.RELU)))
                .addOutput("c")
                .addOutput("y")
                .build();
        assertEquals(2, new FuseActivation().apply(model).operators().size());
    }

    private static RModel.Builder base() {
        Random rnd = new Random(3);
        return RModel.builder("m")
                .addInput("x", Shape.of(5, 6, 2))
                .addWeight("w", Shape.of(3, 3, 2, 4), random(rnd, 72))
                .addWeight("b", Shape.of(4), random(rnd, 4))
                .addWeight("wt", Shape.of(3, 3, 3, 4), random(rnd, 108));
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
        }
        return a;
    }
}
