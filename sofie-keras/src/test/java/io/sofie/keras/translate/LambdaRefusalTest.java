package io.sofie.keras.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.graph.LayerNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Lambda layer is refused from its class name alone: its config, which holds the Python function (base64 marshal
 * bytecode), is never read, so nothing can decode or run it.
 */
class LambdaRefusalTest {
    /** A layer config that fails the test on any read. */
    private static final class UntouchableConfig extends ObjectNode {
        private static final long serialVersionUID = 1L;

        UntouchableConfig() {
            super(JsonNodeFactory.instance);
        }

        private static AssertionError touched() {
            return new AssertionError("the Lambda layer's config was read");
        }

        @Override
        public JsonNode get(String field) {
            throw touched();
        }

        @Override
        public JsonNode path(String field) {
            throw touched();
        }

        @Override
        public boolean has(String field) {
            throw touched();
        }

        @Override
        public Iterator<Map.Entry<String, JsonNode>> fields() {
            throw touched();
        }

        @Override
        public Iterator<String> fieldNames() {
            throw touched();
        }

        @Override
        public Iterator<JsonNode> elements() {
            throw touched();
        }

        @Override
        public int size() {
            throw touched();
        }

        @Override
        public String toString() {
            throw touched();
        }
    }

    @Test
    void refusalReadsNothingOfTheLayerConfig() {
        LayerNode lambda = new LayerNode("Lambda", "scale", new UntouchableConfig(), List.of(), null, "keras.layers",
                null);
        KerasImportException e = LayerTranslators.standard().unsupported("model.h5", lambda);
        assertEquals("model.h5: layer 'scale' (Lambda): is a Lambda layer, which holds Python code; that code is never "
                + "run or decoded here, so the layer cannot be translated: replace the Lambda with built-in layers "
                + "(for example Activation, Reshape, Multiply) and save the model again", e.getMessage());
        assertTrue(e.isUnsupportedLayer());
    }
}
