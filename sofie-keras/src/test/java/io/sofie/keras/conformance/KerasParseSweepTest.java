package io.sofie.keras.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import io.sofie.model.RModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The public corpus of real models without reference outputs (../shared/fixtures/keras2-parse): each must either
 * go through parse -> emit -> compile, or be refused with the project's own error naming the file and the reason
 * (and the layer, for layer errors). Nothing else: no other exception, no hang.
 */
class KerasParseSweepTest {
    private static final Map<String, List<String>> REFUSALS = new TreeMap<>();
    private static final List<String> COMPILED = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyModelCompilesOrIsRefusedClearly() throws IOException {
        Path shared = FixtureCase.sharedFixtures();
        if (shared == null || !Files.isDirectory(shared.resolve("keras2-parse"))) {
            System.out.println("[sweep] ../shared/fixtures/keras2-parse not found: skipped its 110 cases");
            return Stream.empty();
        }
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(shared.resolve("keras2-parse"))) {
            s.filter(Files::isDirectory).sorted().forEach(cases::add);
        }
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
                () -> Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> sweep(dir))));
    }

    private static void sweep(Path dir) {
        Path model = Files.exists(dir.resolve("model.h5")) ? dir.resolve("model.h5") : dir.resolve("model.json");
        String id = dir.getFileName().toString();
        RModel rmodel;
        try {
            rmodel = new KerasImporter().importModel(model);
        } catch (KerasImportException e) {
            assertNotNull(e.file(), "error names no file");
            assertTrue(e.getMessage().startsWith(e.file()), e.getMessage());
            String group = e.isUnsupportedLayer() ? "unsupported layer " + e.layerClass() : e.reason();
            synchronized (REFUSALS) {
                REFUSALS.computeIfAbsent(group, k -> new ArrayList<>()).add(id);
            }
            return;
        }
        CompiledModel.compile(JavaEmitter.emit(Optimizer.optimize(rmodel), "sweep", "Model"));
        synchronized (COMPILED) {
            COMPILED.add(id);
        }
    }

    @AfterAll
    static void report() {
        int refused = REFUSALS.values().stream().mapToInt(List::size).sum();
        System.out.println("[sweep] compiled " + COMPILED.size() + ", refused " + refused);
        REFUSALS.forEach((reason, ids) -> System.out.println("[sweep] refused " + ids.size() + ": " + reason
                + " -> " + ids));
    }
}
