package io.sofie.model.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Softmax;
import io.sofie.model.operators.Unary;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The public contract of a generated class (design.md), independent of any Keras file. */
class JavaEmitterTest {
    /** x(3) -> Gemm(3x2) -> relu -> softmax, and a second output straight from the Gemm. */
    private static RModel twoOutputModel() {
        return RModel.builder("tiny")
                .addInput("x", Shape.of(3))
                .addWeight("w", Shape.of(3, 2), new float[] {1, -1, 2, 0.5f, -3, 1})
                .addWeight("b", Shape.of(2), new float[] {0.25f, -0.5f})
                .addOperator(new Gemm("dense", "x", "h", "w", "b", Activation.IDENTITY))
                .addOperator(new Unary("act", "h", "r", Activation.of(Activation.Kind.RELU)))
                .addOperator(new Softmax("probs", "r", "p", -1, false))
                .addOutput("p")
                .addOutput("h")
                .build();
    }

    private static CompiledModel compile(RModel model) {
        return CompiledModel.compile(JavaEmitter.emit(Optimizer.optimize(model), "com.example", "Tiny"));
    }

    @Test
    void contractFieldsDescribeInputsAndOutputs() {
        CompiledModel m = compile(twoOutputModel());
        assertArrayEquals(new String[] {"x"}, (String[]) m.contractField("INPUT_NAMES"));
        assertArrayEquals(new int[][] {{3}}, (int[][]) m.contractField("INPUT_SHAPES"));
        assertArrayEquals(new String[] {"p", "h"}, (String[]) m.contractField("OUTPUT_NAMES"));
        assertArrayEquals(new int[][] {{2}, {2}}, (int[][]) m.contractField("OUTPUT_SHAPES"));
    }

    @Test
    void computesEveryBatchSizeAndReusesBuffers() {
        CompiledModel m = compile(twoOutputModel());
        float[] sample = {0.5f, -1f, 2f};
        float[][] one = m.infer(1, sample);
        float h0 = 0.5f * 1 + -1f * 2 + 2f * -3 + 0.25f;
        float h1 = 0.5f * -1 + -1f * 0.5f + 2f * 1 - 0.5f;
        assertArrayEquals(new float[] {h0, h1}, one[1], 1e-6f);
        double e0 = Math.exp(Math.max(h0, 0) - Math.max(Math.max(h0, 0), Math.max(h1, 0)));
        double e1 = Math.exp(Math.max(h1, 0) - Math.max(Math.max(h0, 0), Math.max(h1, 0)));
        assertArrayEquals(new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))}, one[0], 1e-6f);
        // A larger batch, then a smaller one on the same session: each sample gives the single-sample answer.
        for (int batch : new int[] {5, 2, 7}) {
            float[] x = new float[3 * batch];
            for (int s = 0; s < batch; s++) {
                System.arraycopy(sample, 0, x, 3 * s, 3);
            }
            float[][] out = m.infer(batch, x);
            for (int s = 0; s < batch; s++) {
                assertArrayEquals(one[0], Arrays.copyOfRange(out[0], 2 * s, 2 * s + 2));
                assertArrayEquals(one[1], Arrays.copyOfRange(out[1], 2 * s, 2 * s + 2));
            }
        }
    }

    @Test
    void badCallsThrowIllegalArgumentWithWhatWasExpected() {
        CompiledModel m = compile(twoOutputModel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.infer(0, new float[0]));
        assertTrue(e.getMessage().contains("batchSize must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.infer(2, new float[5]));
        assertTrue(e.getMessage().contains("must hold batchSize x 3 = 6 floats, got 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.infer(1, new float[3], new float[3]));
        assertTrue(e.getMessage().contains("takes 1 input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.infer(1, (float[]) null));
        assertTrue(e.getMessage().contains("got null"), e.getMessage());
    }

    @Test
    void generationIsReproducibleByteForByte() {
        GeneratedModel a = JavaEmitter.emit(Optimizer.optimize(twoOutputModel()), "com.example", "Tiny");
        GeneratedModel b = JavaEmitter.emit(Optimizer.optimize(twoOutputModel()), "com.example", "Tiny");
        assertEquals(a.source(), b.source());
        assertArrayEquals(a.weights(), b.weights());
        assertEquals("com/example/Tiny.weights", a.weightsResourcePath());
        assertEquals("com/example/Tiny.java", a.sourcePath());
    }

    @Test
    void activationIsFusedIntoGemm() {
        RModel optimized = Optimizer.optimize(RModel.builder("m")
                .addInput("x", Shape.of(3))
                .addWeight("w", Shape.of(3, 2), new float[6])
                .addOperator(new Gemm("dense", "x", "h", "w", null, Activation.IDENTITY))
                .addOperator(new Unary("dense", "h", "y", Activation.of(Activation.Kind.RELU)))
                .addOutput("y")
                .build());
        assertEquals(1, optimized.operators().size());
        assertEquals(Activation.Kind.RELU, ((Gemm) optimized.operators().get(0)).activation().kind());
    }

    @Test
    void operatorHelpersAreNamedAfterTheirOperatorsMethod() {
        // A Gemm at least 16 wide accumulates blocks of rows in a helper, compiled apart from its activation loop.
        float[] w = new float[64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 - 3) * 0.25f;
        }
        GeneratedModel generated = JavaEmitter.emit(Optimizer.optimize(RModel.builder("m")
                .addInput("x", Shape.of(4))
                .addWeight("w", Shape.of(4, 16), w)
                .addOperator(new Gemm("dense", "x", "y", "w", null, Activation.of(Activation.Kind.RELU)))
                .addOutput("y")
                .build()), "com.example", "Wide");
        assertTrue(generated.source().contains("private static void denseGemmAccumulateRows("), generated.source());
        assertTrue(generated.source().contains("denseGemmAccumulateRows(x0, xo0, xo1, xo2, s0);"), generated.source());
        // Three rows go through the helper, the fourth through the single-row loop; every value is exact in float.
        float[] x = {1, 2, -1, 0.5f, -2, 1, 3, 0, 0.5f, 0.5f, -0.5f, 4, 1, 1, 1, 1};
        float[] expected = new float[64];
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 16; j++) {
                float sum = 0;
                for (int k = 0; k < 4; k++) {
                    sum += x[r * 4 + k] * w[k * 16 + j];
                }
                expected[r * 16 + j] = Math.max(sum, 0f);
            }
        }
        assertArrayEquals(expected, CompiledModel.compile(generated).infer(4, x)[0]);
    }

    @Test
    void rejectsInvalidJavaNames() {
        assertThrows(ModelException.class, () -> JavaEmitter.emit(twoOutputModel(), "com.example", "class"));
        assertThrows(ModelException.class, () -> JavaEmitter.emit(twoOutputModel(), "com.1x", "Tiny"));
    }

    @Test
    void classNamesFollowTheFileName() {
        assertEquals("JetTagger", JavaNames.classNameForFile("jet_tagger.h5"));
        assertEquals("MyModelV2", JavaNames.classNameForFile("my-model.v2.keras"));
        assertEquals("M3dUnet", JavaNames.classNameForFile("3d_unet.h5"));
        assertEquals("dense1Gemm", JavaNames.methodName("dense_1_Gemm"));
        assertEquals("DENSE_1_KERNEL_0", JavaNames.constantName("dense_1/kernel:0"));
    }

    /** Rows of session arrays of arrays never start within 256 bytes of a 4 KB multiple of a near neighbour. */
    @Test
    void scratchRowsKeepNeighboursClearOf4kAliasing() {
        assertEquals(1088, JavaEmitter.rowLengthClearOf4kAliasing(1024));
        assertEquals(100, JavaEmitter.rowLengthClearOf4kAliasing(100));
        for (int floats = 1; floats <= 40_000; floats++) {
            int length = JavaEmitter.rowLengthClearOf4kAliasing(floats);
            assertTrue(length >= floats && length - floats <= 128 && (length - floats) % 16 == 0,
                    floats + " -> " + length);
            long bytes = (16 + 4L * length + 7) / 8 * 8;
            for (int k = 1; k <= 6; k++) {
                long apart = k * bytes;
                long nearest = Math.round(apart / 4096.0) * 4096;
                assertTrue(nearest == 0 || Math.abs(apart - nearest) >= 256, floats + " -> " + length + ", rows " + k);
            }
        }
    }
}
