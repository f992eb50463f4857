package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.GlobalMaxPool;
import io.sofie.model.operators.GlobalPool;
import java.util.List;

/**
 * Folds a global pool into the planar convolution that feeds it, when nothing else reads the convolution's output:
 * the kernel then reduces each output channel's row as it finishes it and never writes the positions out (the common
 * end of a convolutional network: convolution, GlobalAveragePooling, Dense).
 */
public final class FuseGlobalPool implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        List<ROperator> result = new Readers(model).replacePairs((op, next) -> {
            if (!(op instanceof Conv && next instanceof GlobalPool && folds((Conv) op, (GlobalPool) next, model))) {
                return null;
            }
            Conv.Pooling kind = next instanceof GlobalMaxPool ? Conv.Pooling.MAX : Conv.Pooling.AVERAGE;
            return List.of(((Conv) op).withGlobalPool(kind, next.outputs().get(0)));
        });
        return result == null ? model : ModelPass.rebuild(model, result);
    }

    private static boolean folds(Conv conv, GlobalPool pool, RModel model) {
        return conv.pooling() == Conv.Pooling.NONE && !pool.keepDims() && pool.layout() == conv.outputLayout()
                && conv.runsPlanar(model.shape(conv.inputs().get(0)), model.shape(conv.outputs().get(0)));
    }
}
