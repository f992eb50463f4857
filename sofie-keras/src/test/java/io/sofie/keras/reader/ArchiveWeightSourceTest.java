package io.sofie.keras.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Keras 3 archive reader against Keras's own other file: for every keras3 fixture, every layer (at any nesting
 * depth) must get from {@code model.keras} exactly the weights, in the same order, that {@code model.h5}'s
 * {@code weight_names} list. This checks the archive layout and the weight order independently of which layers
 * the importer can translate yet.
 */
class ArchiveWeightSourceTest {

    static Path keras3Fixtures() {
        try {
            return Paths.get(ArchiveWeightSourceTest.class.getResource("/fixtures/keras3/manifest.json").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(keras3Fixtures())) {
            return s.filter(p -> Files.exists(p.resolve("model.keras"))).sorted().collect(
                    java.util.stream.Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> archiveWeightsEqualLegacyHdf5Weights() throws IOException {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            try (KerasModelFile keras = KerasModelFile.open(dir.resolve("model.keras"));
                    KerasModelFile h5 = KerasModelFile.open(dir.resolve("model.h5"))) {
                assertEquals("Keras 3 archive (.keras)", keras.format());
                assertEquals("3.11.3", keras.kerasVersion());
                int compared = compareModel(dir.getFileName().toString(), keras.modelConfig(), keras.weights(),
                        h5.weights());
                assertTrue(compared >= 0);
            }
        }));
    }

    /** Without the 3.6+ name attributes, mapping by class name and position must find the same groups. */
    @TestFactory
    Stream<DynamicTest> classOrderMappingAgreesWithNameAttributes() throws IOException {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String name = dir.getFileName().toString();
            KerasArchive archive = KerasArchive.read(dir.resolve("model.keras"), name);
            JsonNode config = KerasModelFile.parseJson(name, archive.config);
            try (HdfFile hdf = Hdf5Files.open(archive.weights, name, KerasArchive.WEIGHTS, "")) {
                WeightSource byName = ArchiveWeightSource.forModel(hdf, config, true);
                WeightSource byClass = ArchiveWeightSource.forModel(hdf, config, false);
                compareModel(name, config, byClass, byName);
            }
        }));
    }

    /** Compares every layer of the model (recursing into nested models); returns the number of weights seen. */
    private static int compareModel(String caseName, JsonNode modelEntry, WeightSource actual,
            WeightSource expected) {
        int seen = 0;
        for (JsonNode layer : modelEntry.path("config").path("layers")) {
            String cls = layer.path("class_name").asText();
            String layerName = layer.path("config").path("name").asText(layer.path("name").asText());
            if (cls.equals("Functional") || cls.equals("Sequential") || cls.equals("Model")) {
                Set<String> inner = leafNames(layer);
                seen += compareModel(caseName, layer, actual.nested(layerName, inner),
                        expected.nested(layerName, inner));
                continue;
            }
            List<KerasWeight> a = actual.weightsOf(layerName);
            List<KerasWeight> e = expected.weightsOf(layerName);
            String where = caseName + " / " + layerName;
            assertEquals(names(e).size(), a.size(), where + ": number of weights, expected " + names(e)
                    + " got " + names(a));
            for (int i = 0; i < a.size(); i++) {
                assertEquals(e.get(i).shape(), a.get(i).shape(), where + ": shape of " + e.get(i).name());
                assertArrayEquals(e.get(i).data(), a.get(i).data(), where + ": values of " + e.get(i).name());
            }
            seen += a.size();
        }
        return seen;
    }

    private static Set<String> leafNames(JsonNode modelEntry) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode layer : modelEntry.path("config").path("layers")) {
            String cls = layer.path("class_name").asText();
            if (cls.equals("Functional") || cls.equals("Sequential") || cls.equals("Model")) {
                names.addAll(leafNames(layer));
            } else {
                names.add(layer.path("config").path("name").asText(layer.path("name").asText()));
            }
        }
        return names;
    }

    private static List<String> names(List<KerasWeight> ws) {
        List<String> n = new ArrayList<>();
        for (KerasWeight w : ws) {
            n.add(w.name() + w.shape());
        }
        return n;
    }

    @Test
    void snakeCaseFollowsKeras() {
        assertEquals("conv2d", KerasNaming.snakeCase("Conv2D"));
        assertEquals("p_re_lu", KerasNaming.snakeCase("PReLU"));
        assertEquals("lstm", KerasNaming.snakeCase("LSTM"));
        assertEquals("batch_normalization", KerasNaming.snakeCase("BatchNormalization"));
        assertEquals("global_average_pooling1d", KerasNaming.snakeCase("GlobalAveragePooling1D"));
        assertEquals("conv_lstm2d", KerasNaming.snakeCase("ConvLSTM2D"));
        assertEquals("simple_rnn_cell", KerasNaming.snakeCase("SimpleRNNCell"));
        assertEquals(List.of("dense", "lstm_cell", "dense_1", "dense_2"),
                KerasNaming.containerNames(List.of("Dense", "LSTMCell", "Dense", "Dense")));
        assertFalse(KerasNaming.snakeCase("Multi Head").contains(" "));
    }
}
