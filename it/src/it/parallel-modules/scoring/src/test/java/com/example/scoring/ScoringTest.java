package com.example.scoring;

import com.example.features.FeatureNet;
import com.example.reference.Reference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The classes of three models, against Keras's outputs: FeatureNet from the features module (its weights come from
 * that module's jar or classes), MergeOps generated in this module, NestedModel generated for the tests only.
 */
class ScoringTest {
    @Test
    void featureNetFromTheOtherModuleMatchesKeras() throws IOException {
        Reference ref = Reference.load("/sequential_mlp.reference.txt");
        ref.assertShapes(FeatureNet.INPUT_SHAPES, FeatureNet.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new FeatureNet().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void mergeOpsMatchesKeras() throws IOException {
        Reference ref = Reference.load("/merge_ops.reference.txt");
        ref.assertShapes(MergeOps.INPUT_SHAPES, MergeOps.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new MergeOps().infer(ref.batch(), ref.inputArrays()));
    }

    @Test
    void testOnlyNestedModelMatchesKeras() throws IOException {
        Reference ref = Reference.load("/nested_model.reference.txt");
        ref.assertShapes(NestedModel.INPUT_SHAPES, NestedModel.OUTPUT_SHAPES);

        ref.assertOutputsMatch(new NestedModel().infer(ref.batch(), ref.inputArrays()));
    }
}
