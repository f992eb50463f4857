package com.example.app;

import com.example.models.LstmVariants;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** keras3 fixture lstm_variants: the class the plugin generated, against Keras's outputs, batch and one by one. */
class LstmVariantsTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/lstm_variants.reference.txt");
        ref.assertShapes(LstmVariants.INPUT_SHAPES, LstmVariants.OUTPUT_SHAPES);
        ref.assertOutputsMatch(new LstmVariants().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void samplesOneByOneMatchKeras() throws IOException {
        Reference ref = Reference.load("/lstm_variants.reference.txt");
        LstmVariants session = new LstmVariants();
        float[][] outputs = ref.emptyOutputs();
        for (int b = 0; b < ref.batch(); b++) {
            ref.putSample(outputs, b, session.infer(1, ref.sampleInputs(b)));
        }
        ref.assertOutputsMatch(outputs);
    }
}
