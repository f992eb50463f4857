package io.sofie.keras.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.sofie.keras.KerasImporter;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * keras3/stateful_lstm: Keras ran two calls on one model without resetting its states; one generated session must
 * give both outputs, and {@code resetStates()} must bring it back to the first call's.
 */
class StatefulFixtureTest {
    private static final double ATOL = 1e-5;

    @Test
    void twoCallsKeepTheStateAndResetStatesForgetsIt() throws Exception {
        Path dir = FixtureCase.projectFixtures().resolve("keras3/stateful_lstm");
        float[] in1;
        float[] out1;
        float[] in2;
        float[] out2;
        int batch;
        try (HdfFile f = new HdfFile(dir.resolve("reference.h5"))) {
            in1 = data(f, "call1_input_0");
            out1 = data(f, "call1_output_0");
            in2 = data(f, "call2_input_0");
            out2 = data(f, "call2_output_0");
            batch = ((Dataset) f.getChild("call1_input_0")).getDimensions()[0];
        }
        CompiledModel model = CompiledModel.compile(JavaEmitter.emit(
                Optimizer.optimize(new KerasImporter().importModel(dir.resolve("model.h5"))), "fixture", "Model"));
        Object session = model.newSession();
        assertClose(out1, model.infer(session, batch, in1)[0], "call 1");
        assertClose(out2, model.infer(session, batch, in2)[0], "call 2 on the same session");

        // A fresh session has no state: call 2's input alone must not give Keras's call-2 output.
        float[] fresh = model.infer(model.newSession(), batch, in2)[0];
        assertTrue(CompiledModel.maxAbsDiff(out2, fresh) > 100 * ATOL, "the state made no difference");

        Method reset = model.type().getMethod("resetStates");
        reset.invoke(session);
        assertClose(out1, model.infer(session, batch, in1)[0], "call 1 after resetStates()");
    }

    @Test
    void statelessModelsOfferNoResetStates() {
        Path dir = FixtureCase.projectFixtures().resolve("keras3/lstm_variants");
        CompiledModel model = CompiledModel.compile(JavaEmitter.emit(
                new KerasImporter().importModel(dir.resolve("model.h5")), "fixture", "Model"));
        assertThrows(NoSuchMethodException.class, () -> model.type().getMethod("resetStates"));
    }

    private static float[] data(HdfFile f, String name) {
        return (float[]) ((Dataset) f.getChild(name)).getDataFlat();
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double d = CompiledModel.maxAbsDiff(expected, actual);
        System.out.println("[stateful_lstm] " + what + ": worst " + d);
        assertTrue(d <= ATOL, what + ": worst difference " + d + " exceeds " + ATOL);
    }
}
