package io.sofie.keras.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImporter;
import io.sofie.model.RModel;
import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture case with Keras-computed outputs, through the real pipeline: file -> RModel -> optimised -> Java
 * source -> javac -> infer, compared element by element with Keras's outputs within the case's atol.
 *
 * <p>Every layer class in the fixtures is supported, so every case must import: a case that is refused (for example
 * because a translator was dropped) fails like a wrong number. The public sets are read from ../shared/fixtures when
 * it exists.
 */
class KerasConformanceTest {
    private static final Map<String, String> RESULTS = new TreeMap<>();
    private static final KerasImporter IMPORTER = new KerasImporter();

    @TestFactory
    Stream<DynamicTest> keras3() {
        return tests(FixtureCase.list(FixtureCase.projectFixtures(), "keras3"));
    }

    /** The same keras3 cases read from their Keras 3 archive (model.keras) instead of model.h5. */
    @TestFactory
    Stream<DynamicTest> keras3Native() {
        return FixtureCase.list(FixtureCase.projectFixtures(), "keras3").stream()
                .map(c -> DynamicTest.dynamicTest(c.id() + " (.keras)", () -> run(c, c.kerasFile())));
    }

    /** The benchmark models (Keras 3.11.3), from both of their files. */
    @TestFactory
    Stream<DynamicTest> bench() {
        List<FixtureCase> cases = FixtureCase.list(FixtureCase.projectFixtures(), "bench");
        return Stream.concat(tests(cases),
                cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " (.keras)", () -> run(c, c.kerasFile()))));
    }

    @TestFactory
    Stream<DynamicTest> publicKeras2() {
        Path shared = FixtureCase.sharedFixtures();
        List<FixtureCase> cases = new ArrayList<>();
        if (shared == null) {
            System.out.println("[conformance] ../shared/fixtures not found: skipped the 102 public reference cases "
                    + "(keras2-ref, keras2-ref-hls4ml)");
            return Stream.empty();
        }
        cases.addAll(FixtureCase.list(shared, "keras2-ref"));
        cases.addAll(FixtureCase.list(shared, "keras2-ref-hls4ml"));
        return tests(cases);
    }

    private static Stream<DynamicTest> tests(List<FixtureCase> cases) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c, c.modelFile())));
    }

    static void run(FixtureCase c, Path modelFile) {
        String id = c.id() + (modelFile.getFileName().toString().endsWith(".keras") ? " (.keras)" : "");
        RModel model = IMPORTER.importModel(modelFile);
        GeneratedModel generated = JavaEmitter.emit(Optimizer.optimize(model), "fixture", "Model");
        CompiledModel compiled = CompiledModel.compile(generated);
        FixtureCase.Reference ref = c.reference();
        float[][] actual = compiled.infer(ref.batch, ref.inputs.toArray(new float[0][]));
        assertEquals(ref.outputs.size(), actual.length, "number of outputs");
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = CompiledModel.maxAbsDiff(ref.outputs.get(i), actual[i]);
            worst = Double.isNaN(d) ? d : Math.max(worst, d);
        }
        RESULTS.put(id, String.format(Locale.ROOT, "worst %.3g (atol %.3g)", worst, ref.atol));
        assertTrue(worst <= ref.atol, id + ": worst difference " + worst + " exceeds atol " + ref.atol);
    }

    @AfterAll
    static void report() {
        for (Map.Entry<String, String> e : RESULTS.entrySet()) {
            System.out.println("[conformance] " + e.getKey() + ": " + e.getValue());
        }
        System.out.println("[conformance] " + RESULTS.size() + " cases compared with Keras");
    }
}
