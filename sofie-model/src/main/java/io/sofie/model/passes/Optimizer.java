package io.sofie.model.passes;

import io.sofie.model.RModel;
import java.util.List;

/** The passes run between translation and emission, in order. */
public final class Optimizer {
    private static final List<ModelPass> PASSES = List.of(new FoldBatchNormalization(), new FuseActivation(),
            new AverageBeforePointwiseConvolution(), new KeepConvolutionChainsInPlanes(), new LowerConvToGemm(),
            new FuseGlobalPool(), new SkipZeroInputs());

    private Optimizer() {
    }

    public static RModel optimize(RModel model) {
        RModel m = model;
        for (ModelPass pass : PASSES) {
            m = pass.apply(m);
        }
        return m;
    }
}
