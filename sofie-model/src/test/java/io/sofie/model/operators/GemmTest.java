package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted Gemm kernel against a plain triple loop in double, over the shapes that exercise its code paths. */
class GemmTest {
    @ParameterizedTest(name = "K={0} M={1} perSample={2} bias={3} relu={4}")
    @CsvSource({
        // K below, at and around the k-group of 4; M below and above one 16-float vector (Gemm.WIDE); rows per
        // sample > 1.
        "1, 1, 1, true, false",
        "3, 10, 1, true, true",
        "4, 16, 1, false, false",
        "5, 33, 1, true, true",
        // Three groups of 4: one pair for a single row, then one group on its own.
        "12, 20, 1, true, false",
        "17, 7, 2, false, true",
        "64, 130, 1, true, false",
        "130, 64, 3, true, true",
        // K large enough to need several panels of W in cache.
        "2000, 70, 1, true, false",
    })
    void matchesPlainLoopsForEveryBatchSize(int k, int m, int perSample, boolean bias, boolean relu) {
        Random random = new Random(31L * k + m);
        float[] w = uniform(random, k * m);
        float[] b = bias ? uniform(random, m) : null;
        Activation activation = relu ? Activation.of(Activation.Kind.RELU) : Activation.IDENTITY;
        CompiledModel compiled = compile(k, m, perSample, w, b,
                new Gemm("dense", "x", "y", "w", bias ? "b" : null, activation));

        // Batches that fill whole blocks of rows, leave one or two over, and a single row.
        float[] single = null;
        for (int batch : new int[] {1, 2, 3, 4, 5, 7}) {
            int rows = batch * perSample;
            float[] x = uniform(random, rows * k);
            float[] y = compiled.infer(batch, x)[0];
            float[] expected = reference(x, w, b, relu, rows, k, m);
            double tolerance = 1e-6 * (k + 1);
            assertTrue(CompiledModel.maxAbsDiff(expected, y) <= tolerance,
                    "batch " + batch + ": worst " + CompiledModel.maxAbsDiff(expected, y));
            if (single == null) {
                single = Arrays.copyOf(x, perSample * k);
                float[] alone = compiled.infer(1, single)[0];
                // A row's result must not depend on where in a batch it is computed.
                assertArrayEquals(alone, Arrays.copyOf(y, perSample * m));
            } else {
                float[] firstRows = compiled.infer(1, Arrays.copyOf(x, perSample * k))[0];
                assertArrayEquals(firstRows, Arrays.copyOf(y, perSample * m), "batch " + batch);
                float[] lastRows = compiled.infer(1, Arrays.copyOfRange(x, (batch - 1) * perSample * k,
                        batch * perSample * k))[0];
                assertArrayEquals(lastRows, Arrays.copyOfRange(y, (batch - 1) * perSample * m, batch * perSample * m),
                        "batch " + batch);
            }
        }
    }

    /**
     * A Gemm that skips zero inputs, on inputs with every share of zeros (none, some, most, all), at batch sizes whose
     * single rows skip them and whose blocks do not: wide W with and without rows past the last group of four, narrow
     * W, and lists whose lengths are and are not multiples of four; group counts of 1, 3, 4, 6, 32 and 500 (the padding's
     * group index wraps at the next power of two).
     */
    @ParameterizedTest(name = "K={0} M={1} perSample={2} bias={3}")
    @CsvSource({
        "1, 1, 1, true",
        "3, 10, 1, false",
        "5, 16, 1, true",
        "13, 20, 1, true",
        "16, 32, 2, false",
        "24, 17, 1, false",
        "37, 10, 1, true",
        "130, 64, 1, true",
        "2000, 70, 1, false",
    })
    void skippingZeroInputsMatchesPlainLoops(int k, int m, int perSample, boolean bias) {
        Random random = new Random(17L * k + m);
        float[] w = uniform(random, k * m);
        float[] b = bias ? uniform(random, m) : null;
        CompiledModel compiled = compile(k, m, perSample, w, b,
                new Gemm("dense", "x", "y", "w", bias ? "b" : null, Activation.IDENTITY).withZeroSkipping());
        for (double zeros : new double[] {0, 0.3, 0.5, 0.9, 1}) {
            for (int batch : new int[] {1, 2, 4}) {
                int rows = batch * perSample;
                float[] x = uniform(random, rows * k);
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextDouble() < zeros ? (random.nextBoolean() ? 0f : -0f) : x[i];
                }
                float[] y = compiled.infer(batch, x)[0];
                double worst = CompiledModel.maxAbsDiff(reference(x, w, b, false, rows, k, m), y);
                assertTrue(worst <= 1e-6 * (k + 1), "zeros " + zeros + ", batch " + batch + ": worst " + worst);
            }
        }
    }

    /** The one-Gemm model reading x (K per row, perSample rows per sample) with kernel w and bias b (or none). */
    private static CompiledModel compile(int k, int m, int perSample, float[] w, float[] b, Gemm gemm) {
        RModel.Builder builder = RModel.builder("gemm")
                .addInput("x", perSample == 1 ? Shape.of(k) : Shape.of(perSample, k))
                .addWeight("w", Shape.of(k, m), w);
        if (b != null) {
            builder.addWeight("b", Shape.of(m), b);
        }
        RModel model = builder.addOperator(gemm).addOutput("y").build();
        return CompiledModel.compile(JavaEmitter.emit(model, "test", "GemmModel"));
    }

    private static float[] reference(float[] x, float[] w, float[] b, boolean relu, int rows, int k, int m) {
        float[] y = new float[rows * m];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                double sum = b == null ? 0 : b[j];
                for (int i = 0; i < k; i++) {
                    sum += (double) x[r * k + i] * w[i * m + j];
                }
                y[r * m + j] = (float) (relu ? Math.max(0, sum) : sum);
            }
        }
        return y;
    }

    /** Values uniform in [-1, 1); other operator tests use it too. */
    static float[] uniform(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextFloat() * 2 - 1;
        }
        return a;
    }
}
