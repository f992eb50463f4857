package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The emitted Gather (Embedding) against a plain row copy, and its run-time range check. */
class GatherTest {
    private static final int ROWS = 7;
    private static final int WIDTH = 3;

    private static CompiledModel model(float[] table) {
        RModel m = RModel.builder("gather")
                .addInput("ids", Shape.of(4))
                .addWeight("table", Shape.of(ROWS, WIDTH), table)
                .addOperator(new Gather("emb", "ids", "y", "table"))
                .addOutput("y")
                .build();
        return CompiledModel.compile(JavaEmitter.emit(m, "t", "GatherModel"));
    }

    @Test
    void copiesTheRowOfEachIndex() {
        float[] table = RecurrentTest.random(new Random(3), ROWS * WIDTH);
        float[] ids = {0, 6, 3, 3, 1, 2, 5, 4};
        float[] expected = new float[ids.length * WIDTH];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(table, (int) ids[i] * WIDTH, expected, i * WIDTH, WIDTH);
        }
        assertArrayEquals(expected, model(table).infer(2, ids)[0]);
    }

    @Test
    void anIndexOutsideTheTableThrowsIllegalArgumentException() {
        CompiledModel m = model(new float[ROWS * WIDTH]);
        for (float bad : new float[] {7f, -1f, Float.NaN, 1e9f}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.infer(2, new float[] {0, 1, 2, 3, 4, 5, bad, 0}));
            assertTrue(e.getMessage().contains("emb") && e.getMessage().contains("sample 1")
                    && e.getMessage().contains("[0, 7)"), e.getMessage());
        }
    }
}
