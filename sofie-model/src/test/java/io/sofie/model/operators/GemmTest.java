package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted Gemm against a plain triple loop, on sizes that exercise every remainder path of the kernel. */
class GemmTest {
    @ParameterizedTest(name = "rows/sample {0}, K {1}, M {2}, batch {3}, bias {4}")
    @CsvSource({
        "1, 1, 1, 1, true",
        "1, 7, 5, 3, true",
        "1, 16, 130, 2, false",
        "3, 9, 17, 4, true",
        "1, 2000, 70, 5, true",
    })
    void matchesPlainLoops(int rowsPerSample, int k, int m, int batch, boolean withBias) {
        Random rnd = new Random(k * 31L + m);
        float[] w = random(rnd, k * m);
        float[] b = random(rnd, m);
        Shape inShape = rowsPerSample == 1 ? Shape.of(k) : Shape.of(rowsPerSample, k);
        RModel.Builder builder = RModel.builder("gemm").addInput("x", inShape).addWeight("w", Shape.of(k, m), w);
        if (withBias) {
            builder.addWeight("b", Shape.of(m), b);
        }
        RModel model = builder
                .addOperator(new Gemm("dense", "x", "y", "w", withBias ? "b" : null,
                        Activation.of(Activation.Kind.TANH)))
                .addOutput("y")
                .build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "GemmModel"));
        float[] x = random(rnd, batch * rowsPerSample * k);
        float[] actual = compiled.infer(batch, x)[0];
        float[] expected = new float[batch * rowsPerSample * m];
        for (int r = 0; r < batch * rowsPerSample; r++) {
            for (int j = 0; j < m; j++) {
                double acc = withBias ? b[j] : 0;
                for (int i = 0; i < k; i++) {
                    acc += (double) x[r * k + i] * w[i * m + j];
                }
                expected[r * m + j] = (float) Math.tanh(acc);
            }
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5 * Math.sqrt(k), "worst difference " + worst);
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }
}
