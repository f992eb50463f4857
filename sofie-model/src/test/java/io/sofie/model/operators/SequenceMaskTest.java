package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SequenceMask for Embedding mask_zero (per step) and Masking (any feature differs, masked steps zeroed). */
class SequenceMaskTest {
    @Test
    void tokenMaskIsNonZero() {
        RModel m = RModel.builder("mask").addInput("ids", Shape.of(4))
                .addOperator(new SequenceMask("emb", "ids", List.of("mask"), 0f))
                .addOutput("mask").build();
        float[] actual = CompiledModel.compile(JavaEmitter.emit(m, "t", "TokenMask"))
                .infer(2, new float[] {0, 3, 0, 1, 2, 0, 0, 0})[0];
        assertArrayEquals(new float[] {0, 1, 0, 1, 1, 0, 0, 0}, actual);
    }

    @Test
    void maskingKeepsStepsWithAnyFeatureOffTheMaskValue() {
        RModel m = RModel.builder("mask").addInput("x", Shape.of(3, 2))
                .addOperator(new SequenceMask("masking", "x", List.of("mask", "y"), -1f))
                .addOutput("mask").addOutput("y").build();
        float[][] out = CompiledModel.compile(JavaEmitter.emit(m, "t", "Masking"))
                .infer(1, new float[] {-1, -1, -1, 2, 0.5f, -1});
        assertArrayEquals(new float[] {0, 1, 1}, out[0]);
        assertArrayEquals(new float[] {0, 0, -1, 2, 0.5f, -1}, out[1]);
    }
}
