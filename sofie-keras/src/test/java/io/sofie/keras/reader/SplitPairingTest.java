package io.sofie.keras.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The pairing rule of {@link SplitPairing}, and split models read through it. */
class SplitPairingTest {
    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[0]);
    }

    @Test
    void jsonFindsItsWeightsInDocumentedOrder() throws IOException {
        Path json = touch("tagger.json");
        assertEquals(Optional.empty(), SplitPairing.weightsFor(json));
        touch("weights.h5"); // only for model.json
        assertEquals(Optional.empty(), SplitPairing.weightsFor(json));
        for (String name : List.of("tagger.hdf5", "tagger_weights.h5", "tagger.weights.h5", "tagger.h5")) {
            touch(name);
            assertEquals(Optional.of(dir.resolve(name)), SplitPairing.weightsFor(json), name);
        }
        Path model = touch("model.json");
        assertEquals(Optional.of(dir.resolve("weights.h5")), SplitPairing.weightsFor(model));
    }

    @Test
    void weightsFindTheirJson() throws IOException {
        for (String name : List.of("tagger.h5", "tagger.weights.h5", "tagger_weights.h5", "tagger.hdf5")) {
            assertEquals(Optional.empty(), SplitPairing.architectureFor(dir.resolve(name)));
        }
        touch("tagger.json");
        for (String name : List.of("tagger.h5", "tagger.weights.h5", "tagger_weights.h5", "tagger.hdf5")) {
            assertEquals(Optional.of(dir.resolve("tagger.json")), SplitPairing.architectureFor(dir.resolve(name)));
        }
        assertEquals(Optional.empty(), SplitPairing.architectureFor(dir.resolve("weights.h5")));
        touch("model.json");
        assertEquals(Optional.of(dir.resolve("model.json")), SplitPairing.architectureFor(dir.resolve("weights.h5")));
    }

    /** Keras 3 split form: to_json() plus save_weights('x.weights.h5'), here unpacked from real .keras archives. */
    @TestFactory
    Stream<DynamicTest> keras3JsonPlusWeightsReadsLikeTheArchive() throws IOException {
        return ArchiveWeightSourceTest.cases().stream().limit(60).map(c -> DynamicTest.dynamicTest(
                c.getFileName().toString(), () -> {
                    KerasArchive a = KerasArchive.read(c.resolve("model.keras"), "model.keras");
                    Path caseDir = Files.createDirectories(dir.resolve(c.getFileName().toString()));
                    Files.writeString(caseDir.resolve("net.json"), a.config);
                    Files.write(caseDir.resolve("net.weights.h5"), a.weights);
                    for (Path given : List.of(caseDir.resolve("net.json"), caseDir.resolve("net.weights.h5"))) {
                        try (KerasModelFile split = KerasModelFile.open(given);
                                KerasModelFile archive = KerasModelFile.open(c.resolve("model.keras"))) {
                            assertEquals("Keras 3 JSON + weights.h5", split.format());
                            assertEquals("net.json + net.weights.h5", split.fileName());
                            for (JsonLayer l : JsonLayer.topLevel(archive)) {
                                if (!l.isModel) {
                                    assertSame(archive.weights().weightsOf(l.name),
                                            split.weights().weightsOf(l.name));
                                }
                            }
                        }
                    }
                }));
    }

    /** The public split-form references (model.json + weights.h5) pair and every stored weight is claimed. */
    @TestFactory
    Stream<DynamicTest> publicSplitCasesPair() throws IOException {
        Path shared = Path.of(System.getProperty("sofie.sharedFixtures", "../../shared/fixtures"));
        List<Path> cases = new ArrayList<>();
        for (String set : List.of("keras2-ref", "keras2-ref-hls4ml", "keras2-parse")) {
            Path s = shared.resolve(set);
            if (Files.isDirectory(s)) {
                try (Stream<Path> l = Files.list(s)) {
                    l.filter(p -> Files.exists(p.resolve("model.json"))).sorted().forEach(cases::add);
                }
            }
        }
        if (cases.isEmpty()) {
            System.out.println("[split] ../shared/fixtures not found: skipped the public split-form cases");
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getParent().getFileName() + "/" + c.getFileName(),
                () -> {
                    for (Path given : List.of(c.resolve("model.json"), c.resolve("weights.h5"))) {
                        try (KerasModelFile m = KerasModelFile.open(given)) {
                            assertEquals("model.json + weights.h5", m.fileName());
                            assertTrue(m.format().endsWith("JSON + HDF5 weights"), m.format());
                            int read = 0;
                            for (JsonLayer l : JsonLayer.topLevel(m)) {
                                read += l.isModel ? 0 : m.weights().weightsOf(l.name).size();
                            }
                            assertTrue(read > 0 || JsonLayer.topLevel(m).stream().anyMatch(l -> l.isModel),
                                    "no weights read");
                        }
                    }
                }));
    }

    private static void assertSame(List<KerasWeight> expected, List<KerasWeight> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).shape(), actual.get(i).shape());
            assertArrayEquals(expected.get(i).data(), actual.get(i).data());
        }
    }

    /** A top-level layer of a model config, any Keras version. */
    static final class JsonLayer {
        final String name;
        final boolean isModel;

        JsonLayer(String name, boolean isModel) {
            this.name = name;
            this.isModel = isModel;
        }

        static List<JsonLayer> topLevel(KerasModelFile m) {
            com.fasterxml.jackson.databind.JsonNode config = m.modelConfig().path("config");
            com.fasterxml.jackson.databind.JsonNode layers = config.isArray() ? config : config.path("layers");
            List<JsonLayer> out = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode l : layers) {
                String cls = l.path("class_name").asText();
                String name = l.path("config").path("name").asText(l.path("name").asText());
                out.add(new JsonLayer(name, cls.equals("Sequential") || cls.equals("Functional")
                        || cls.equals("Model")));
            }
            return out;
        }
    }
}
