package com.example.app;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.models.SequentialMlp;
import com.example.reference.Reference;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** keras3 fixture sequential_mlp (Dense, Dropout): the class the plugin generated, against Keras's outputs. */
class SequentialMlpTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/sequential_mlp.reference.txt");
        ref.assertShapes(SequentialMlp.INPUT_SHAPES, SequentialMlp.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new SequentialMlp().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void singleSampleCallsMatchKeras() throws IOException {
        Reference ref = Reference.load("/sequential_mlp.reference.txt");
        SequentialMlp session = new SequentialMlp();
        int in = ref.inputs.get(0).length / ref.batch();
        int out = ref.outputs.get(0).length / ref.batch();
        float[] all = new float[ref.outputs.get(0).length];
        for (int b = 0; b < ref.batch(); b++) {
            float[] y = session.infer(Arrays.copyOfRange(ref.inputs.get(0), b * in, (b + 1) * in));
            System.arraycopy(y, 0, all, b * out, out);
        }
        ref.assertOutputsMatch(new float[][] {all});
    }

    @Test
    void wrongInputLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SequentialMlp().infer(new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new SequentialMlp().infer(0, new float[0]));
    }
}
