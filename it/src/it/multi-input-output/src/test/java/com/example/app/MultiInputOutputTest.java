package com.example.app;

import com.example.models.MultiInputOutput;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** keras3 fixture multi_input_output: the class the plugin generated, against Keras's outputs, batch and one by one. */
class MultiInputOutputTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/multi_input_output.reference.txt");
        ref.assertShapes(MultiInputOutput.INPUT_SHAPES, MultiInputOutput.OUTPUT_SHAPES);
        ref.assertOutputsMatch(new MultiInputOutput().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void samplesOneByOneMatchKeras() throws IOException {
        Reference ref = Reference.load("/multi_input_output.reference.txt");
        MultiInputOutput session = new MultiInputOutput();
        float[][] outputs = ref.emptyOutputs();
        for (int b = 0; b < ref.batch(); b++) {
            ref.putSample(outputs, b, session.infer(1, ref.sampleInputs(b)));
        }
        ref.assertOutputsMatch(outputs);
    }
}
