package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import java.util.Arrays;
import java.util.List;

/**
 * Averages before a linear pointwise convolution instead of after it: a 1x1, stride-1, ungrouped convolution with no
 * activation, whose output only a global average pool (keepdims off) reads, becomes that pool over the convolution's
 * input followed by a Dense product with the same kernel and bias. The mean over positions of {@code x W + b} is
 * {@code (mean of x) W + b}, so the model multiplies one vector per sample instead of one per position (cnn_mobile's
 * last block: 32 x 32 x 361 multiply-adds become 32 x 32). Exact in real arithmetic; in float only the order of the
 * sums changes, as it does between any two implementations of the convolution.
 */
public final class AverageBeforePointwiseConvolution implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        RModel.Builder b = model.toBuilder();
        List<ROperator> result = new Readers(model).replacePairs((op, next) -> {
            if (!(op instanceof Conv && next instanceof GlobalAveragePool
                    && commutes((Conv) op, (GlobalAveragePool) next, model))) {
                return null;
            }
            Conv conv = (Conv) op;
            Shape kernel = model.weight(conv.kernel()).shape();
            int cin = kernel.dim(kernel.rank() - 2);
            int cout = kernel.dim(kernel.rank() - 1);
            String matrix = b.freshWeightName(conv.kernel() + "/as_matrix");
            b.addWeight(matrix, Shape.of(cin, cout), model.weight(conv.kernel()).data());
            String mean = conv.outputs().get(0) + "/input_mean";
            return List.of(new GlobalAveragePool(next.name(), conv.inputs().get(0), mean, conv.layout(), false),
                    new Gemm(conv.name(), mean, next.outputs().get(0), matrix, conv.bias(), Activation.IDENTITY));
        });
        return result == null ? model : ModelPass.rebuild(model, b, result);
    }

    private static boolean commutes(Conv conv, GlobalAveragePool pool, RModel model) {
        Window window = conv.window();
        boolean pointwise = conv.groups() == 1 && conv.activation().isIdentity()
                && conv.pooling() == Conv.Pooling.NONE && conv.layout() == conv.outputLayout()
                && !pool.keepDims() && pool.layout() == conv.layout();
        for (int d = 0; pointwise && d < window.rank(); d++) {
            pointwise = window.kernel(d) == 1 && window.stride(d) == 1;
        }
        // Every input position is an output position and nothing else is: no padding added either.
        Layout layout = conv.layout();
        return pointwise && Arrays.equals(layout.spatial(model.shape(conv.inputs().get(0))),
                layout.spatial(model.shape(conv.outputs().get(0))));
    }
}
