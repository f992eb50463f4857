package io.sofie.keras.translate;

import java.util.Set;

/**
 * What happens to a Keras mask (from Embedding {@code mask_zero} or Masking) at a layer whose translator does not
 * handle masks itself: layers that support masking without using it pass it on unchanged; layers that would use it
 * are refused rather than computed without it; every other layer drops it, as Keras 3 does.
 */
final class MaskPropagation {
    /** Keras layers whose compute_mask returns the input mask and whose call ignores it. */
    private static final Set<String> PASS_THROUGH = Set.of("Dense", "Activation", "Dropout", "AlphaDropout",
            "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "ActivityRegularization", "BatchNormalization",
            "LayerNormalization", "UnitNormalization", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU",
            "Softmax", "TimeDistributed");

    /** Keras layers whose output depends on the mask. */
    private static final Set<String> USES_MASK = Set.of("GlobalAveragePooling1D", "GlobalMaxPooling1D", "Attention",
            "AdditiveAttention", "MultiHeadAttention", "Concatenate", "Add", "Subtract", "Multiply", "Average",
            "Maximum", "Minimum", "Dot");

    private MaskPropagation() {
    }

    /** Applies the default rule after {@code ctx}'s translator ran without looking at masks. */
    static void apply(LayerContext ctx, java.util.Map<String, String> masks) {
        String mask = null;
        for (String in : ctx.inputs()) {
            mask = mask != null ? mask : masks.get(in);
        }
        if (mask == null) {
            return;
        }
        if (USES_MASK.contains(ctx.className())) {
            throw ctx.unsupported("a mask (from Embedding(mask_zero=True) or Masking) reaching " + ctx.className());
        }
        if (PASS_THROUGH.contains(ctx.className())) {
            int steps = ctx.shape(mask).dim(0);
            for (String out : ctx.outputs()) {
                if (ctx.shape(out).rank() >= 1 && ctx.shape(out).dim(0) == steps) {
                    masks.putIfAbsent(out, mask);
                }
            }
        }
    }
}
