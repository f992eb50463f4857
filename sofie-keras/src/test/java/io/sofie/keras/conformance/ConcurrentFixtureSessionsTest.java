package io.sofie.keras.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImporter;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated code under load: one generated fixture model (recurrent layers with several outputs; three inputs
 * through merges and attention) called from many threads at once, each thread with its own session, many calls of
 * varied batch sizes in varied order. Every result must equal, bit for bit, what one session on one thread computed
 * for the same call, and the unperturbed reference batch must still match Keras within the case's atol.
 */
class ConcurrentFixtureSessionsTest {
    private static final int THREADS = 8;
    private static final int CALLS = 120;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_variants", "merge_ops", "attention"})
    void sessionsOnManyThreadsAgreeWithOneThread(String caseName) throws Exception {
        FixtureCase c = FixtureCase.list(FixtureCase.projectFixtures(), "keras3").stream()
                .filter(f -> f.name.equals(caseName)).findFirst().orElseThrow();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(
                Optimizer.optimize(new KerasImporter().importModel(c.modelFile())), "load", "Model"));
        FixtureCase.Reference ref = c.reference();

        // Calls: batch sizes 1..batch over the reference samples, each call's inputs perturbed differently.
        Random rnd = new Random(11);
        int[] batches = new int[CALLS];
        float[][][] inputs = new float[CALLS][][];
        for (int k = 0; k < CALLS; k++) {
            batches[k] = k == 0 ? ref.batch : 1 + rnd.nextInt(ref.batch);
            inputs[k] = new float[ref.inputs.size()][];
            for (int i = 0; i < ref.inputs.size(); i++) {
                int perSample = ref.inputs.get(i).length / ref.batch;
                float[] x = Arrays.copyOf(ref.inputs.get(i), batches[k] * perSample);
                for (int j = 0; k > 0 && j < x.length; j++) {
                    x[j] += (float) (rnd.nextGaussian() * 0.1);
                }
                inputs[k][i] = x;
            }
        }
        Object single = compiled.newSession();
        float[][][] expected = new float[CALLS][][];
        for (int k = 0; k < CALLS; k++) {
            expected[k] = compiled.infer(single, batches[k], inputs[k]);
        }
        for (int o = 0; o < ref.outputs.size(); o++) {
            double d = CompiledModel.maxAbsDiff(ref.outputs.get(o), expected[0][o]);
            assertTrue(d <= ref.atol, caseName + " output " + o + " differs from Keras by " + d);
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<float[][][]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 37;
                results.add(pool.submit(() -> {
                    Object session = compiled.newSession();
                    start.await();
                    float[][][] out = new float[CALLS][][];
                    for (int n = 0; n < CALLS; n++) {
                        int k = (n + offset) % CALLS;
                        out[k] = compiled.infer(session, batches[k], inputs[k]);
                    }
                    return out;
                }));
            }
            start.countDown();
            for (Future<float[][][]> f : results) {
                float[][][] out = f.get(120, TimeUnit.SECONDS);
                for (int k = 0; k < CALLS; k++) {
                    assertEquals(expected[k].length, out[k].length);
                    for (int o = 0; o < out[k].length; o++) {
                        assertArrayEquals(expected[k][o], out[k][o], caseName + " call " + k + " output " + o);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
