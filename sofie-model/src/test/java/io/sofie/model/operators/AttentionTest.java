package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted Attention against softmax(scores) V written out as plain loops. */
class AttentionTest {
    @ParameterizedTest(name = "dot={0} heads={1} Tq={2} Tv={3} D={4} Dv={5} causal={6} weights={7}")
    @CsvSource({
        "true, 0, 5, 7, 6, 6, false, false",
        "true, 0, 5, 7, 6, 4, true, true",
        "true, 0, 7, 3, 2, 5, true, false",
        "true, 3, 5, 7, 2, 4, false, true",
        "true, 2, 6, 6, 4, 4, true, false",
        "false, 0, 5, 7, 6, 6, false, true",
        "false, 0, 5, 7, 6, 3, true, false",
        "false, 2, 4, 3, 5, 2, true, true",
    })
    void matchesPlainLoops(boolean dot, int heads, int tq, int tv, int d, int dv, boolean causal,
            boolean withWeights) {
        Random rnd = new Random(tq * 131L + tv * 17L + d + (dot ? 1 : 0) + heads * 7L);
        int h = Math.max(1, heads);
        Shape qs = heads == 0 ? Shape.of(tq, d) : Shape.of(tq, heads, d);
        Shape ks = heads == 0 ? Shape.of(tv, d) : Shape.of(tv, heads, d);
        Shape vs = heads == 0 ? Shape.of(tv, dv) : Shape.of(tv, heads, dv);
        float queryScale = dot && withWeights ? 0.5f : 1f;
        float scoreScale = 1.7f;
        float inner = 0.8f;
        float outer = 1.3f;
        float[] dimScale = GemmTest.uniform(rnd, d);
        RModel.Builder b = RModel.builder("att").addInput("q", qs).addInput("k", ks).addInput("v", vs);
        if (withWeights) {
            b.addWeight("scoreScale", Shape.of(), new float[] {scoreScale});
            b.addWeight("inner", Shape.of(), new float[] {inner});
            b.addWeight("outer", Shape.of(), new float[] {outer});
            b.addWeight("dimScale", Shape.of(d), dimScale);
        }
        Attention op = dot
                ? Attention.dot("att", "q", "k", "v", "y", queryScale, withWeights ? "scoreScale" : null, causal)
                : Attention.tanh("att", "q", "k", "v", "y", withWeights ? "inner" : null,
                        withWeights ? "dimScale" : null, withWeights ? "outer" : null, causal);
        RModel model = b.addOperator(op).addOutput("y").build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "AttentionModel"));
        int batch = 2;
        float[] q = GemmTest.uniform(rnd, batch * qs.size());
        float[] k = GemmTest.uniform(rnd, batch * ks.size());
        float[] v = GemmTest.uniform(rnd, batch * vs.size());
        float[] actual = compiled.infer(batch, q, k, v)[0];

        float[] expected = new float[batch * tq * h * dv];
        for (int s = 0; s < batch; s++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < tq; i++) {
                    double[] score = new double[tv];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tv; j++) {
                        double acc = 0;
                        for (int c = 0; c < d; c++) {
                            double qv = q[((s * tq + i) * h + hh) * d + c];
                            double kv = k[((s * tv + j) * h + hh) * d + c];
                            if (dot) {
                                acc += qv * queryScale * kv;
                            } else {
                                double t = Math.tanh((withWeights ? inner : 1) * (qv + kv));
                                acc += (withWeights ? dimScale[c] : 1) * t;
                            }
                        }
                        if (withWeights) {
                            acc *= dot ? scoreScale : outer;
                        }
                        // Keras's mask: a large negative added to the scores of later keys.
                        score[j] = causal && j > i ? acc - 1e9 : acc;
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < tv; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < tv; j++) {
                            acc += score[j] / sum * v[((s * tv + j) * h + hh) * dv + c];
                        }
                        expected[((s * tq + i) * h + hh) * dv + c] = (float) acc;
                    }
                }
            }
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 2e-6, "worst difference " + worst);
    }

    @Test
    void rejectsKeysOfAnotherDimension() {
        RModel.Builder b = RModel.builder("att").addInput("q", Shape.of(5, 4)).addInput("k", Shape.of(7, 3))
                .addInput("v", Shape.of(7, 3));
        assertThrows(ModelException.class, () -> b.addOperator(Attention.dot("a", "q", "k", "v", "y", 1f, null,
                false)));
    }
}
