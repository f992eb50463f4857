package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import org.junit.jupiter.api.Test;

/** NotEqual against a constant: 1 where the element differs, 0 where it equals (NaN differs from everything). */
class NotEqualTest {
    @Test
    void marksElementsThatDiffer() {
        RModel m = RModel.builder("ne").addInput("x", Shape.of(2, 2))
                .addOperator(new NotEqual("ne", "x", "y", 0.5f))
                .addOutput("y").build();
        float[] actual = CompiledModel.compile(JavaEmitter.emit(m, "t", "Ne"))
                .infer(2, new float[] {0.5f, 0f, -0.5f, 0.5f, Float.NaN, 1f, 0.5f, 0.5f})[0];
        assertArrayEquals(new float[] {0, 1, 1, 0, 1, 1, 0, 0}, actual);
    }
}
