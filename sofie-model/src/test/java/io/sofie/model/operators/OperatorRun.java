package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;

/** Test support: emits a hand-built model, compiles it, runs it and compares with a plain-loop reference. */
final class OperatorRun {
    private OperatorRun() {
    }

    static float[][] run(RModel model, int batch, float[]... inputs) {
        return CompiledModel.compile(JavaEmitter.emit(model, "optest", "OpModel")).infer(batch, inputs);
    }

    static float[] random(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    static void assertClose(float[] expected, float[] actual, double atol) {
        double d = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(d <= atol, "worst difference " + d + " exceeds " + atol);
    }

    static void assertExact(float[] expected, float[] actual) {
        assertArrayEquals(expected, actual);
    }

    /** Row-major flat index of {@code idx} in {@code shape}. */
    static int flat(Shape shape, int... idx) {
        int f = 0;
        for (int d = 0; d < idx.length; d++) {
            f = f * shape.dim(d) + idx[d];
        }
        return f;
    }

    /** The multi-index of flat position {@code f} in {@code shape}. */
    static int[] unflat(Shape shape, int f) {
        int[] idx = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            idx[d] = f % shape.dim(d);
            f /= shape.dim(d);
        }
        return idx;
    }
}
