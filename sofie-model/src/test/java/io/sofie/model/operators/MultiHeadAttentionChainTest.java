package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multi-head attention as the Keras importer builds it (three projection Einsums, Attention with the query scaled by
 * 1/sqrt(key_dim), the output Einsum) against the textbook formula in plain loops, with query, key and value of
 * different lengths and widths.
 */
class MultiHeadAttentionChainTest {
    @ParameterizedTest(name = "Tq={0} Tv={1} dq={2} dk={3} dv={4} heads={5} keyDim={6} valueDim={7} out={8} "
            + "bias={9} causal={10}")
    @CsvSource({
        "6, 6, 8, 8, 8, 2, 4, 4, 8, true, false",
        "5, 7, 8, 4, 6, 3, 2, 2, 8, false, false",
        "5, 7, 8, 6, 6, 2, 4, 3, 5, true, true",
        "9, 4, 3, 5, 7, 4, 3, 5, 2, true, true",
    })
    void matchesTextbookFormula(int tq, int tv, int dq, int dk, int dv, int heads, int keyDim, int valueDim,
            int out, boolean bias, boolean causal) {
        Random rnd = new Random(tq * 7L + tv * 11L + heads);
        float[] wq = GemmTest.uniform(rnd, dq * heads * keyDim);
        float[] wk = GemmTest.uniform(rnd, dk * heads * keyDim);
        float[] wv = GemmTest.uniform(rnd, dv * heads * valueDim);
        float[] wo = GemmTest.uniform(rnd, heads * valueDim * out);
        float[] bq = GemmTest.uniform(rnd, heads * keyDim);
        float[] bk = GemmTest.uniform(rnd, heads * keyDim);
        float[] bv = GemmTest.uniform(rnd, heads * valueDim);
        float[] bo = GemmTest.uniform(rnd, out);
        RModel.Builder b = RModel.builder("mha")
                .addInput("query", Shape.of(tq, dq)).addInput("value", Shape.of(tv, dv))
                .addInput("key", Shape.of(tv, dk))
                .addWeight("wq", Shape.of(dq, heads, keyDim), wq).addWeight("wk", Shape.of(dk, heads, keyDim), wk)
                .addWeight("wv", Shape.of(dv, heads, valueDim), wv)
                .addWeight("wo", Shape.of(heads, valueDim, out), wo);
        if (bias) {
            b.addWeight("bq", Shape.of(heads, keyDim), bq).addWeight("bk", Shape.of(heads, keyDim), bk)
                    .addWeight("bv", Shape.of(heads, valueDim), bv).addWeight("bo", Shape.of(out), bo);
        }
        RModel model = b
                .addOperator(new Einsum("mha", "query", "q", "bc,cde->bde", "wq", bias ? "bq" : null))
                .addOperator(new Einsum("mha", "key", "k", "bc,cde->bde", "wk", bias ? "bk" : null))
                .addOperator(new Einsum("mha", "value", "v", "bc,cde->bde", "wv", bias ? "bv" : null))
                .addOperator(Attention.dot("mha", "q", "k", "v", "a", (float) (1 / Math.sqrt(keyDim)), null, causal))
                .addOperator(new Einsum("mha", "a", "y", "bcd,cde->be", "wo", bias ? "bo" : null))
                .addOutput("y")
                .build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "MhaModel"));
        int batch = 3;
        float[] query = GemmTest.uniform(rnd, batch * tq * dq);
        float[] value = GemmTest.uniform(rnd, batch * tv * dv);
        float[] key = GemmTest.uniform(rnd, batch * tv * dk);
        float[] actual = compiled.infer(batch, query, value, key)[0];

        float[] expected = new float[batch * tq * out];
        for (int s = 0; s < batch; s++) {
            double[][][] qh = project(query, s, tq, dq, wq, bias ? bq : null, heads, keyDim);
            double[][][] kh = project(key, s, tv, dk, wk, bias ? bk : null, heads, keyDim);
            double[][][] vh = project(value, s, tv, dv, wv, bias ? bv : null, heads, valueDim);
            double[][][] ctx = new double[tq][heads][valueDim];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tq; i++) {
                    double[] score = new double[tv];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tv; j++) {
                        double dot = 0;
                        for (int c = 0; c < keyDim; c++) {
                            dot += qh[i][h][c] * kh[j][h][c];
                        }
                        score[j] = dot / Math.sqrt(keyDim) - (causal && j > i ? 1e9 : 0);
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < tv; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int j = 0; j < tv; j++) {
                        for (int c = 0; c < valueDim; c++) {
                            ctx[i][h][c] += score[j] / sum * vh[j][h][c];
                        }
                    }
                }
            }
            for (int i = 0; i < tq; i++) {
                for (int e = 0; e < out; e++) {
                    double acc = bias ? bo[e] : 0;
                    for (int h = 0; h < heads; h++) {
                        for (int c = 0; c < valueDim; c++) {
                            acc += ctx[i][h][c] * wo[(h * valueDim + c) * out + e];
                        }
                    }
                    expected[(s * tq + i) * out + e] = (float) acc;
                }
            }
        }
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    private static double[][][] project(float[] x, int s, int t, int dim, float[] w, float[] bias, int heads,
            int size) {
        double[][][] p = new double[t][heads][size];
        for (int i = 0; i < t; i++) {
            for (int h = 0; h < heads; h++) {
                for (int e = 0; e < size; e++) {
                    double acc = bias == null ? 0 : bias[h * size + e];
                    for (int c = 0; c < dim; c++) {
                        acc += (double) x[(s * t + i) * dim + c] * w[(c * heads + h) * size + e];
                    }
                    p[i][h][e] = acc;
                }
            }
        }
        return p;
    }
}
