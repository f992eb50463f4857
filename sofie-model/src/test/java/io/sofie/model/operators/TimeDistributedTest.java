package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Operators run per time step through TimeDistributed, against the same operator applied step by step in loops. */
class TimeDistributedTest {
    @Test
    void gemmAndSoftmaxPerStep() {
        int steps = 5;
        int k = 6;
        int m = 3;
        Random rnd = new Random(5);
        float[] w = GemmTest.uniform(rnd, k * m);
        float[] bias = GemmTest.uniform(rnd, m);
        RModel model = RModel.builder("td").addInput("x", Shape.of(steps, k))
                .addWeight("w", Shape.of(k, m), w).addWeight("b", Shape.of(m), bias)
                .addOperator(new TimeDistributed(new Gemm("td", "x", "z", "w", "b", Activation.IDENTITY), steps))
                .addOperator(new TimeDistributed(new Softmax("td", "z", "y", -1, false), steps))
                .addOutput("y")
                .build();
        assertEquals(Shape.of(steps, m), model.shape("y"));
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "TdModel"));
        int batch = 4;
        float[] x = GemmTest.uniform(rnd, batch * steps * k);
        float[] actual = compiled.infer(batch, x)[0];
        float[] expected = new float[batch * steps * m];
        for (int r = 0; r < batch * steps; r++) {
            double[] z = new double[m];
            double sum = 0;
            for (int j = 0; j < m; j++) {
                z[j] = bias[j];
                for (int i = 0; i < k; i++) {
                    z[j] += (double) x[r * k + i] * w[i * m + j];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            for (int j = 0; j < m; j++) {
                sum += Math.exp(z[j] - max);
            }
            for (int j = 0; j < m; j++) {
                expected[r * m + j] = (float) (Math.exp(z[j] - max) / sum);
            }
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) < 1e-6);
    }

    /** An operator that reads the whole per-step tensor (attention over a step's rows) and has three inputs. */
    @Test
    void attentionPerStep() {
        int steps = 3;
        int t = 4;
        int d = 2;
        Random rnd = new Random(9);
        RModel model = RModel.builder("td").addInput("q", Shape.of(steps, t, d))
                .addOperator(new TimeDistributed(Attention.dot("td", "q", "q", "q", "y", 1f, null, true), steps))
                .addOutput("y")
                .build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "TdAttention"));
        int batch = 2;
        float[] q = GemmTest.uniform(rnd, batch * steps * t * d);
        float[] actual = compiled.infer(batch, q)[0];
        float[] expected = new float[q.length];
        for (int block = 0; block < batch * steps; block++) {
            int o = block * t * d;
            for (int i = 0; i < t; i++) {
                double[] p = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < d; c++) {
                        p[j] += (double) q[o + i * d + c] * q[o + j * d + c];
                    }
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    p[j] = Math.exp(p[j] - max);
                    sum += p[j];
                }
                for (int c = 0; c < d; c++) {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) {
                        acc += p[j] / sum * q[o + j * d + c];
                    }
                    expected[o + i * d + c] = (float) acc;
                }
            }
        }
        assertTrue(CompiledModel.maxAbsDiff(expected, actual) < 1e-6);
    }

    @Test
    void rejectsAnInputWithoutTheTimeAxis() {
        RModel.Builder b = RModel.builder("td").addInput("x", Shape.of(4, 6))
                .addWeight("w", Shape.of(6, 2), new float[12]);
        assertThrows(ModelException.class, () -> b.addOperator(
                new TimeDistributed(new Gemm("td", "x", "y", "w", null, Activation.IDENTITY), 5)));
    }
}
