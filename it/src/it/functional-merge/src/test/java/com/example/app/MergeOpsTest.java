package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.models.MergeOps;
import com.example.reference.Reference;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * keras3 fixture merge_ops: a functional model with three inputs (a, b, c) and one output, every Keras merge layer.
 * The generated class is called through the multi-input form of the contract.
 */
class MergeOpsTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/merge_ops.reference.txt");
        assertEquals(3, MergeOps.INPUT_NAMES.length);
        ref.assertShapes(MergeOps.INPUT_SHAPES, MergeOps.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new MergeOps().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void eachSampleAloneMatchesKeras() throws IOException {
        Reference ref = Reference.load("/merge_ops.reference.txt");
        MergeOps session = new MergeOps();
        int out = ref.outputs.get(0).length / ref.batch();
        float[] all = new float[ref.outputs.get(0).length];
        for (int b = 0; b < ref.batch(); b++) {
            float[][] x = new float[ref.inputs.size()][];
            for (int i = 0; i < x.length; i++) {
                int n = ref.inputs.get(i).length / ref.batch();
                x[i] = Arrays.copyOfRange(ref.inputs.get(i), b * n, (b + 1) * n);
            }
            System.arraycopy(session.infer(1, x)[0], 0, all, b * out, out);
        }
        ref.assertOutputsMatch(new float[][] {all});
    }

    @Test
    void missingInputIsRejected() throws IOException {
        Reference ref = Reference.load("/merge_ops.reference.txt");
        assertThrows(IllegalArgumentException.class,
                () -> new MergeOps().infer(ref.batch(), ref.inputs.get(0), ref.inputs.get(1)));
    }
}
