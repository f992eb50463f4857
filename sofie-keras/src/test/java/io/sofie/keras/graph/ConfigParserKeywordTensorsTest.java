package io.sofie.keras.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensors passed by keyword, in the Keras 2 list form and the Keras 3 object form of inbound nodes. */
class ConfigParserKeywordTensorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keras2KeywordTensorsAreSeparatedFromPlainArguments() throws Exception {
        String config = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
                + input("q") + ", " + input("v") + ", "
                + "{\"class_name\": \"MultiHeadAttention\", \"name\": \"mha\", \"config\": {\"name\": \"mha\"},"
                + " \"inbound_nodes\": [[[\"q\", 0, 0, {\"value\": [\"v\", 0, 0], \"training\": false}]]]}],"
                + " \"input_layers\": [[\"q\", 0, 0], [\"v\", 0, 0]], \"output_layers\": [[\"mha\", 0, 0]]}}";
        LayerCall call = ConfigParser.parse(JSON.readTree(config)).layer("mha").calls().get(0);
        assertEquals(List.of(new TensorRef("q", 0, 0)), call.inputs());
        assertEquals(new TensorRef("v", 0, 0), call.keywordTensors().get("value"));
        assertEquals(1, call.keywordTensors().size());
        assertFalse(call.kwargs().path("training").asBoolean(true));
        assertFalse(call.kwargs().has("value"));
    }

    @Test
    void keras3KeywordTensorsComeFromKerasTensorObjects() throws Exception {
        String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
        String config = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
                + input("q") + ", " + input("v") + ", " + input("k") + ", "
                + "{\"class_name\": \"MultiHeadAttention\", \"name\": \"mha\", \"config\": {\"name\": \"mha\"},"
                + " \"inbound_nodes\": [{\"args\": [" + String.format(tensor, "q") + ", " + String.format(tensor, "v")
                + "], \"kwargs\": {\"key\": " + String.format(tensor, "k") + "}}]}],"
                + " \"input_layers\": [[\"q\", 0, 0], [\"v\", 0, 0], [\"k\", 0, 0]],"
                + " \"output_layers\": [[\"mha\", 0, 0]]}}";
        LayerCall call = ConfigParser.parse(JSON.readTree(config)).layer("mha").calls().get(0);
        assertEquals(List.of(new TensorRef("q", 0, 0), new TensorRef("v", 0, 0)), call.inputs());
        assertEquals(new TensorRef("k", 0, 0), call.keywordTensors().get("key"));
    }

    private static String input(String name) {
        return "{\"class_name\": \"InputLayer\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name
                + "\", \"batch_input_shape\": [null, 4, 3]}, \"inbound_nodes\": []}";
    }
}
