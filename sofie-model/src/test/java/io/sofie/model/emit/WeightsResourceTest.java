package io.sofie.model.emit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Gemm;
import io.sofie.model.testing.CompiledModel;
import org.junit.jupiter.api.Test;

/** A generated class refuses a weights resource that is corrupt, truncated or another model's. */
class WeightsResourceTest {
    private static GeneratedModel generate(float[] weights) {
        RModel model = RModel.builder("m")
                .addInput("x", Shape.of(2))
                .addWeight("w", Shape.of(2, 2), weights)
                .addOperator(new Gemm("dense", "x", "y", "w", null, Activation.IDENTITY))
                .addOutput("y")
                .build();
        return JavaEmitter.emit(model, "w", "M");
    }

    @Test
    void flippedByteFailsTheChecksum() {
        byte[] bytes = generate(new float[] {1, 2, 3, 4}).weights();
        bytes[bytes.length / 2] ^= 1;
        Throwable e = initFailure(generate(new float[] {1, 2, 3, 4}), bytes);
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void truncatedFileIsRefused() {
        byte[] bytes = generate(new float[] {1, 2, 3, 4}).weights();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 7);
        Throwable e = initFailure(generate(new float[] {1, 2, 3, 4}), cut);
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    /** Runs the class with {@code resource} in place of its weights and returns the initialisation failure. */
    private static Throwable initFailure(GeneratedModel model, byte[] resource) {
        CompiledModel compiled = CompiledModel.compile(model, resource);
        Throwable t = assertThrows(Throwable.class, () -> compiled.infer(1, new float[2]));
        while (t.getCause() != null && !(t instanceof IllegalStateException)) {
            t = t.getCause();
        }
        return t;
    }
}
