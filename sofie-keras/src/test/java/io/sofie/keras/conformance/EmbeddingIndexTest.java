package io.sofie.keras.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImporter;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** keras3/embedding_lstm (vocabulary 30): an index outside the vocabulary is a clear run-time error, not garbage. */
class EmbeddingIndexTest {
    @Test
    void anIndexOutsideTheVocabularyThrowsIllegalArgumentException() {
        Path dir = FixtureCase.projectFixtures().resolve("keras3/embedding_lstm");
        CompiledModel model = CompiledModel.compile(JavaEmitter.emit(
                new KerasImporter().importModel(dir.resolve("model.h5")), "fixture", "Model"));
        float[] ids = new float[8];
        ids[5] = 30f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.infer(1, ids));
        assertTrue(e.getMessage().contains("embedding") && e.getMessage().contains("30")
                && e.getMessage().contains("[0, 30)"), e.getMessage());
        ids[5] = 29f;
        assertTrue(model.infer(1, ids)[0].length == 2);
    }
}
