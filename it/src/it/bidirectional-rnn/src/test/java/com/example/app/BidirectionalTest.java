package com.example.app;

import com.example.models.Bidirectional;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** keras3 fixture bidirectional: the class the plugin generated, against Keras's outputs, batch and one by one. */
class BidirectionalTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/bidirectional.reference.txt");
        ref.assertShapes(Bidirectional.INPUT_SHAPES, Bidirectional.OUTPUT_SHAPES);
        ref.assertOutputsMatch(new Bidirectional().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void samplesOneByOneMatchKeras() throws IOException {
        Reference ref = Reference.load("/bidirectional.reference.txt");
        Bidirectional session = new Bidirectional();
        float[][] outputs = ref.emptyOutputs();
        for (int b = 0; b < ref.batch(); b++) {
            ref.putSample(outputs, b, session.infer(1, ref.sampleInputs(b)));
        }
        ref.assertOutputsMatch(outputs);
    }
}
