package com.example.app;

import com.example.models.ResidualBlock;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** keras3 fixture residual_block: the class the plugin generated, against Keras's outputs, batch and one by one. */
class ResidualBlockTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/residual_block.reference.txt");
        ref.assertShapes(ResidualBlock.INPUT_SHAPES, ResidualBlock.OUTPUT_SHAPES);
        ref.assertOutputsMatch(new ResidualBlock().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void samplesOneByOneMatchKeras() throws IOException {
        Reference ref = Reference.load("/residual_block.reference.txt");
        ResidualBlock session = new ResidualBlock();
        float[][] outputs = ref.emptyOutputs();
        for (int b = 0; b < ref.batch(); b++) {
            ref.putSample(outputs, b, session.infer(1, ref.sampleInputs(b)));
        }
        ref.assertOutputsMatch(outputs);
    }
}
