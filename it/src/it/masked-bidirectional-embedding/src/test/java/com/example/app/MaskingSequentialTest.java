package com.example.app;

import com.example.models.MaskingSequential;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** keras3 fixture masking_sequential: the class the plugin generated, against Keras's outputs, batch and one by one. */
class MaskingSequentialTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/masking_sequential.reference.txt");
        ref.assertShapes(MaskingSequential.INPUT_SHAPES, MaskingSequential.OUTPUT_SHAPES);
        ref.assertOutputsMatch(new MaskingSequential().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void samplesOneByOneMatchKeras() throws IOException {
        Reference ref = Reference.load("/masking_sequential.reference.txt");
        MaskingSequential session = new MaskingSequential();
        float[][] outputs = ref.emptyOutputs();
        for (int b = 0; b < ref.batch(); b++) {
            ref.putSample(outputs, b, session.infer(1, ref.sampleInputs(b)));
        }
        ref.assertOutputsMatch(outputs);
    }
}
