package io.sofie.model.operators;

import static io.sofie.model.operators.OperatorRun.assertClose;
import static io.sofie.model.operators.OperatorRun.random;
import static io.sofie.model.operators.OperatorRun.run;
import static io.sofie.model.operators.OperatorRun.unflat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BatchNormalization and LayerNormalization against the textbook formulas computed in plain loops. */
class NormalizationOperatorsTest {
    private final Random rnd = new Random(5);

    @Test
    void batchNormOnEveryAxis() {
        checkBatchNorm(Shape.of(6), -1, true, true);
        checkBatchNorm(Shape.of(3, 4, 5), -1, true, false);
        checkBatchNorm(Shape.of(3, 4, 5), 0, false, true);
        checkBatchNorm(Shape.of(3, 4, 5), 1, false, false);
    }

    private void checkBatchNorm(Shape in, int axis, boolean scale, boolean center) {
        int a = in.axis(axis);
        int c = in.dim(a);
        float[] gamma = random(rnd, c);
        float[] beta = random(rnd, c);
        float[] mean = random(rnd, c);
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.5f + rnd.nextFloat();
        }
        double eps = 1e-3;
        RModel.Builder b = RModel.builder("bn").addInput("x", in)
                .addWeight("gamma", Shape.of(c), gamma).addWeight("beta", Shape.of(c), beta)
                .addWeight("mean", Shape.of(c), mean).addWeight("var", Shape.of(c), var);
        RModel m = b.addOperator(new BatchNormalization("bn", "x", "y", axis, eps, scale ? "gamma" : null,
                center ? "beta" : null, "mean", "var")).addOutput("y").build();
        int batch = 3;
        float[] x = random(rnd, batch * in.size());
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = unflat(in, i % in.size())[a];
            double v = (x[i] - mean[ch]) / Math.sqrt(var[ch] + eps);
            expected[i] = (float) (v * (scale ? gamma[ch] : 1) + (center ? beta[ch] : 0));
        }
        assertClose(expected, run(m, batch, x)[0], 2e-6);
    }

    @Test
    void batchNormRefusesMismatchedWeights() {
        RModel.Builder b = RModel.builder("bn").addInput("x", Shape.of(4, 3))
                .addWeight("mean", Shape.of(4), new float[4]).addWeight("var", Shape.of(4), new float[4]);
        assertThrows(ModelException.class, () -> b.addOperator(
                new BatchNormalization("bn", "x", "y", -1, 1e-3, null, null, "mean", "var")));
    }

    @Test
    void layerNormLastAxis() {
        checkLayerNorm(Shape.of(5, 8), new int[] {-1}, true, true, false);
        checkLayerNorm(Shape.of(7), new int[] {0}, false, true, false);
        checkLayerNorm(Shape.of(5, 8), new int[] {1}, true, false, false);
    }

    @Test
    void layerNormSeveralAxes() {
        checkLayerNorm(Shape.of(5, 8), new int[] {0, 1}, true, true, false);
        checkLayerNorm(Shape.of(3, 4, 5), new int[] {2, 0}, true, true, false);
        checkLayerNorm(Shape.of(3, 4, 5, 2), new int[] {1, 3}, true, true, false);
        checkLayerNorm(Shape.of(3, 4, 5), new int[] {0}, false, false, false);
    }

    @Test
    void layerNormRmsScalingUsesVarianceWithoutCentring() {
        checkLayerNorm(Shape.of(4, 6), new int[] {-1}, true, false, true);
        checkLayerNorm(Shape.of(4, 6), new int[] {0, 1}, true, false, true);
    }

    @Test
    void layerNormRefusesRepeatedAxes() {
        RModel.Builder b = RModel.builder("ln").addInput("x", Shape.of(4, 3));
        assertThrows(ModelException.class, () -> b.addOperator(
                new LayerNormalization("ln", "x", "y", new int[] {1, -1}, 1e-3, null, null, false)));
    }

    private void checkLayerNorm(Shape in, int[] axes, boolean scale, boolean center, boolean rms) {
        boolean[] norm = new boolean[in.rank()];
        int count = 1;
        for (int a : axes) {
            norm[in.axis(a)] = true;
            count *= in.dim(in.axis(a));
        }
        float[] gamma = random(rnd, count);
        float[] beta = random(rnd, count);
        double eps = 1e-3;
        // gamma/beta hold the normalised axes' dims in axis order.
        int[] pdims = new int[axes.length];
        int p = 0;
        for (int d = 0; d < in.rank(); d++) {
            if (norm[d]) {
                pdims[p++] = in.dim(d);
            }
        }
        Shape pshape = Shape.of(pdims);
        RModel m = RModel.builder("ln").addInput("x", in)
                .addWeight("gamma", pshape, gamma).addWeight("beta", pshape, beta)
                .addOperator(new LayerNormalization("ln", "x", "y", axes, eps, scale ? "gamma" : null,
                        center ? "beta" : null, rms))
                .addOutput("y").build();
        int batch = 2;
        float[] x = random(rnd, batch * in.size());
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 2 + 0.7f;
        }
        float[] expected = new float[x.length];
        for (int s = 0; s < batch; s++) {
            // Group elements by their kept-axes index; normalise each group.
            double[] sum = new double[in.size()];
            double[] sq = new double[in.size()];
            for (int f = 0; f < in.size(); f++) {
                sum[key(in, norm, f)] += x[s * in.size() + f];
            }
            for (int f = 0; f < in.size(); f++) {
                double d = x[s * in.size() + f] - sum[key(in, norm, f)] / count;
                sq[key(in, norm, f)] += d * d;
            }
            for (int f = 0; f < in.size(); f++) {
                int k = key(in, norm, f);
                double mean = sum[k] / count;
                double inv = 1 / Math.sqrt(sq[k] / count + eps);
                int[] idx = unflat(in, f);
                int pi = 0;
                for (int d = 0; d < in.rank(); d++) {
                    if (norm[d]) {
                        pi = pi * in.dim(d) + idx[d];
                    }
                }
                double v = rms ? x[s * in.size() + f] * inv : (x[s * in.size() + f] - mean) * inv;
                v = v * (scale ? gamma[pi] : 1) + (center ? beta[pi] : 0);
                expected[s * in.size() + f] = (float) v;
            }
        }
        assertClose(expected, run(m, batch, x)[0], 2e-6);
    }

    /** The flat index of {@code f} with its normalised axes zeroed: equal for all members of one group. */
    private static int key(Shape in, boolean[] norm, int f) {
        int[] idx = unflat(in, f);
        int k = 0;
        for (int d = 0; d < in.rank(); d++) {
            k = k * in.dim(d) + (norm[d] ? 0 : idx[d]);
        }
        return k;
    }
}
