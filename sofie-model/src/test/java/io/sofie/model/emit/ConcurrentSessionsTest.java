package io.sofie.model.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Softmax;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One generated class used from many threads, one session each: every result equals the single-threaded one. */
class ConcurrentSessionsTest {
    @Test
    void sessionsOnManyThreadsAgreeWithOneThread() throws Exception {
        Random rnd = new Random(7);
        float[] w1 = new float[24 * 64];
        float[] w2 = new float[64 * 10];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = rnd.nextFloat() - 0.5f;
        }
        RModel model = RModel.builder("mlp")
                .addInput("x", Shape.of(24))
                .addWeight("w1", Shape.of(24, 64), w1)
                .addWeight("w2", Shape.of(64, 10), w2)
                .addOperator(new Gemm("d1", "x", "h", "w1", null, Activation.of(Activation.Kind.SWISH)))
                .addOperator(new Gemm("d2", "h", "z", "w2", null, Activation.IDENTITY))
                .addOperator(new Softmax("p", "z", "p", -1, false))
                .addOutput("p")
                .build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(Optimizer.optimize(model), "c", "Mlp"));

        int threads = 8;
        int callsPerThread = 200;
        float[][] inputs = new float[callsPerThread][];
        int[] batches = new int[callsPerThread];
        float[][] expected = new float[callsPerThread][];
        Object reference = compiled.newSession();
        for (int c = 0; c < callsPerThread; c++) {
            batches[c] = 1 + c % 9;
            inputs[c] = new float[batches[c] * 24];
            for (int i = 0; i < inputs[c].length; i++) {
                inputs[c][i] = rnd.nextFloat() * 4 - 2;
            }
            expected[c] = compiled.infer(reference, batches[c], inputs[c])[0];
        }

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    Object session = compiled.newSession();
                    float[][] out = new float[callsPerThread][];
                    for (int k = 0; k < callsPerThread; k++) {
                        int c = (k + offset * 17) % callsPerThread;
                        out[c] = compiled.infer(session, batches[c], inputs[c])[0];
                    }
                    return out;
                }));
            }
            for (Future<float[][]> f : results) {
                float[][] out = f.get(60, TimeUnit.SECONDS);
                for (int c = 0; c < callsPerThread; c++) {
                    assertArrayEquals(expected[c], out[c]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
