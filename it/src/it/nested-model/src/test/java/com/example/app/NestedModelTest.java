package com.example.app;

import com.example.models.NestedModel;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * keras3 fixture nested_model: a functional model that uses a Sequential and a Functional model as layers; the
 * generated class flattens them into one.
 */
class NestedModelTest {
    @Test
    void batchMatchesKeras() throws IOException {
        Reference ref = Reference.load("/nested_model.reference.txt");
        ref.assertShapes(NestedModel.INPUT_SHAPES, NestedModel.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new NestedModel().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void repeatedCallsOnOneSessionGiveTheSameOutputs() throws IOException {
        Reference ref = Reference.load("/nested_model.reference.txt");
        NestedModel session = new NestedModel();
        session.infer(ref.batch(), ref.inputArrays());

        ref.assertOutputsMatch(session.infer(ref.batch(), ref.inputArrays()));
    }
}
