package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.BatchNormalization;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Gemm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds an inference BatchNormalization over the output channels into the Gemm (Dense) or Conv that feeds it, when
 * nothing else reads that output and no activation sits between: {@code (x W + b) * a + c = x (W a) + (b a + c)}
 * per output channel. Both kernels keep output channels on their last axis (Keras layout), so one column scaling
 * serves both. The folded kernel and bias are computed in double and rounded once, so the result differs from the
 * unfolded one by rounding only; the model then runs one pass over the data instead of two (and FuseActivation can
 * add a following activation to the same loop).
 */
public final class FoldBatchNormalization implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        Readers readers = new Readers(model);
        RModel.Builder b = model.toBuilder();
        List<ROperator> result = new ArrayList<>();
        Map<String, ROperator> foldable = new HashMap<>();
        for (ROperator op : model.operators()) {
            if (op instanceof BatchNormalization) {
                BatchNormalization bn = (BatchNormalization) op;
                String x = bn.inputs().get(0);
                Shape shape = model.shape(x);
                ROperator producer = foldable.remove(x);
                if (producer != null && shape.axis(bn.axis()) == channelAxis(producer, shape)) {
                    result.set(result.indexOf(producer), fold(model, b, producer, bn));
                    continue;
                }
            }
            if (isLinearGemm(op) || isLinearConv(op)) {
                String out = op.outputs().get(0);
                if (readers.soleReader(out) != null) {
                    foldable.put(out, op);
                }
            }
            result.add(op);
        }
        return result.size() == model.operators().size() ? model : ModelPass.rebuild(model, b, result);
    }

    private static boolean isLinearGemm(ROperator op) {
        return op instanceof Gemm && ((Gemm) op).activation().isIdentity();
    }

    private static boolean isLinearConv(ROperator op) {
        return op instanceof Conv && ((Conv) op).activation().isIdentity();
    }

    private static int channelAxis(ROperator producer, Shape output) {
        return producer instanceof Conv ? ((Conv) producer).layout().channelAxis(output) : output.rank() - 1;
    }

    private static ROperator fold(RModel model, RModel.Builder b, ROperator producer, BatchNormalization bn) {
        String kernelName = producer instanceof Conv ? ((Conv) producer).kernel() : ((Gemm) producer).kernel();
        String biasName = producer instanceof Conv ? ((Conv) producer).bias() : ((Gemm) producer).bias();
        double[][] ac = bn.multiplierAndOffset(w -> model.weight(w).data());
        double[] a = ac[0];
        double[] c = ac[1];
        float[] w = model.weight(kernelName).data();
        int m = a.length;
        int k = w.length / m;
        float[] kernel = new float[w.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                kernel[i * m + j] = (float) (w[i * m + j] * a[j]);
            }
        }
        float[] bias = new float[m];
        float[] oldBias = biasName == null ? null : model.weight(biasName).data();
        for (int j = 0; j < m; j++) {
            bias[j] = (float) ((oldBias == null ? 0.0 : oldBias[j]) * a[j] + c[j]);
        }
        String kName = b.freshWeightName(bn.name() + "/folded_kernel");
        String bName = b.freshWeightName(bn.name() + "/folded_bias");
        b.addWeight(kName, model.weight(kernelName).shape(), kernel);
        b.addWeight(bName, Shape.of(m), bias);
        String out = bn.outputs().get(0);
        if (producer instanceof Conv) {
            Conv conv = (Conv) producer;
            return conv.withWeights(kName, bName).withActivation(Activation.IDENTITY, out);
        }
        Gemm g = (Gemm) producer;
        return new Gemm(g.name(), g.inputs().get(0), out, kName, bName, Activation.IDENTITY);
    }
}
