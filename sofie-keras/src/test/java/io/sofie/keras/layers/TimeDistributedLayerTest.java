package io.sofie.keras.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sofie.keras.KerasImporter;
import io.sofie.keras.reader.KerasModelFile;
import io.sofie.keras.reader.KerasWeight;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TimeDistributed(Dense(3, softmax)) as Keras saved it in keras3/time_distributed_repeat, cut out of that model: its
 * layer config and its weights file, with an Input of the shape the wrapper receives there (5, 6). The reference is
 * the Dense layer written as loops over the same stored weights (a unit test, not a Keras comparison: the fixture's
 * own Keras outputs also need LSTM and RepeatVector).
 */
class TimeDistributedLayerTest {
    @TempDir
    Path dir;

    @Test
    void denseOnEveryStepWithTheWrappersWeights() throws Exception {
        check(false);
    }

    /** The same Dense inside a Sequential (with a tanh Activation after it) wrapped by TimeDistributed. */
    @Test
    void nestedModelOnEveryStep() throws Exception {
        check(true);
    }

    private void check(boolean nested) throws Exception {
        Path fixture = Paths.get(getClass().getResource("/fixtures/keras3/time_distributed_repeat/model.h5").toURI())
                .getParent();
        ObjectMapper json = new ObjectMapper();
        JsonNode full;
        try (KerasModelFile f = KerasModelFile.open(fixture.resolve("model.h5"))) {
            full = f.modelConfig();
        }
        JsonNode wrapper = null;
        for (JsonNode layer : full.path("config").path("layers")) {
            if ("TimeDistributed".equals(layer.path("class_name").asText())) {
                wrapper = layer.deepCopy();
            }
        }
        if (nested) {
            wrapInSequential(json, (ObjectNode) wrapper);
        }
        ObjectNode input = json.createObjectNode().put("class_name", "InputLayer").put("name", "steps");
        ObjectNode inputConfig = input.putObject("config").put("name", "steps");
        inputConfig.putArray("batch_shape").addNull().add(5).add(6);
        input.putArray("inbound_nodes");
        ObjectNode td = (ObjectNode) wrapper;
        ArrayNode nodes = td.putArray("inbound_nodes");
        ObjectNode call = nodes.addObject();
        ObjectNode tensor = call.putArray("args").addObject().put("class_name", "__keras_tensor__");
        tensor.putObject("config").putArray("keras_history").add("steps").add(0).add(0);
        call.putObject("kwargs");
        ObjectNode model = json.createObjectNode().put("class_name", "Functional");
        ObjectNode mc = model.putObject("config").put("name", "td_only");
        mc.putArray("layers").add(input).add(td);
        mc.putArray("input_layers").addArray().add("steps").add(0).add(0);
        mc.putArray("output_layers").addArray().add(td.path("name").asText()).add(0).add(0);
        model.put("keras_version", "3.11.3").put("backend", "torch");
        Files.writeString(dir.resolve("model.json"), json.writeValueAsString(model));
        Files.copy(fixture.resolve("model.h5"), dir.resolve("weights.h5"));

        RModel r = new KerasImporter().importModel(dir.resolve("model.json"));
        assertEquals(Shape.of(5, 3), r.outputs().get(0).shape());
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(Optimizer.optimize(r), "t", "TdDense"));

        List<KerasWeight> w;
        try (KerasModelFile f = KerasModelFile.open(fixture.resolve("model.h5"))) {
            w = f.weights().weightsOf("time_distributed");
        }
        float[] kernel = w.get(0).data();
        float[] bias = w.get(1).data();
        int batch = 3;
        Random rnd = new Random(1);
        float[] x = new float[batch * 5 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        float[] actual = compiled.infer(batch, x)[0];
        float[] expected = new float[batch * 5 * 3];
        for (int row = 0; row < batch * 5; row++) {
            double[] z = new double[3];
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                z[j] = bias[j];
                for (int i = 0; i < 6; i++) {
                    z[j] += (double) x[row * 6 + i] * kernel[i * 3 + j];
                }
                sum += Math.exp(z[j]);
            }
            for (int j = 0; j < 3; j++) {
                double p = Math.exp(z[j]) / sum;
                expected[row * 3 + j] = (float) (nested ? Math.tanh(p) : p);
            }
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) < 1e-6);
    }

    /** Replaces the wrapper's layer by a Sequential [Input(6), that layer, Activation(tanh)]. */
    private static void wrapInSequential(ObjectMapper json, ObjectNode wrapper) {
        ObjectNode dense = (ObjectNode) wrapper.path("config").path("layer").deepCopy();
        ObjectNode input = json.createObjectNode().put("class_name", "InputLayer");
        ObjectNode ic = input.putObject("config").put("name", "step_input");
        ic.putArray("batch_shape").addNull().add(6);
        ObjectNode tanh = json.createObjectNode().put("class_name", "Activation");
        tanh.putObject("config").put("name", "step_tanh").put("activation", "tanh");
        ObjectNode seq = json.createObjectNode().put("class_name", "Sequential");
        ObjectNode sc = seq.putObject("config").put("name", "per_step");
        sc.putArray("layers").add(input).add(dense).add(tanh);
        ((ObjectNode) wrapper.path("config")).set("layer", seq);
    }
}
