package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.MatMul;
import java.util.Set;

/**
 * Dot: the batchwise product of two tensors contracting one axis of each, optionally of their L2-normalised values
 * (cosine similarity). Keras 3 semantics ({@code batch_dot}): the output holds the first input's remaining axes, then
 * the second's; a result without axes has shape (batch, 1).
 */
public final class DotLayer implements LayerTranslator {
    /** Keras 3 normalises with x * min(rsqrt(sum x^2), 1 / epsilon), epsilon 1e-7. */
    private static final double KERAS3_MAX_INVERSE_NORM = 1e7;
    /** Keras 1 and 2 use tf l2_normalize: x * rsqrt(max(sum x^2, 1e-12)). */
    private static final double KERAS2_MAX_INVERSE_NORM = 1e6;

    @Override
    public Set<String> classNames() {
        return Set.of("Dot");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(2);
        ctx.output(dot(ctx, ctx.param("axes"), ctx.boolParam(false, "normalize")));
    }

    /**
     * Adds the product for Keras {@code axes} (an int, or a pair; batch counted as axis 0, negative axes from the
     * end) and returns its output tensor. Shared with the Keras 1 Merge layer's dot mode.
     */
    static String dot(LayerContext ctx, JsonNode axes, boolean normalize) {
        Shape a = ctx.inputShape(0);
        Shape b = ctx.inputShape(1);
        int rankA = a.rank() + 1;
        int rankB = b.rank() + 1;
        int[] pair;
        if (axes == null || axes.isNumber()) {
            int v = axes == null ? -1 : axes.asInt();
            pair = v < 0 ? new int[] {Math.floorMod(v, rankA), Math.floorMod(v, rankB)} : new int[] {v, v};
        } else if (axes.isArray() && axes.size() == 2 && axes.get(0).isNumber() && axes.get(1).isNumber()) {
            pair = new int[] {Math.floorMod(axes.get(0).asInt(), rankA), Math.floorMod(axes.get(1).asInt(), rankB)};
        } else {
            throw ctx.error("axes " + axes + " are neither an integer nor a pair of integers");
        }
        if (ctx.kerasVersion() != KerasVersion.KERAS_3 && (rankA > 3 || rankB > 3)) {
            // Older batch_dot implementations disagree with Keras 3 beyond rank 3.
            throw ctx.unsupported("Keras " + (ctx.kerasVersion() == KerasVersion.KERAS_1 ? "1" : "2")
                    + " Dot of inputs of rank above 3 (" + a + ", " + b + " per sample)");
        }
        int axisA = ctx.sampleAxis(pair[0], a.rank());
        int axisB = ctx.sampleAxis(pair[1], b.rank());
        if (a.dim(axisA) != b.dim(axisB)) {
            throw ctx.error("contracts axis " + pair[0] + " of " + a + " with axis " + pair[1] + " of " + b
                    + " per sample, which differ in length");
        }
        double cap = ctx.kerasVersion() == KerasVersion.KERAS_3 ? KERAS3_MAX_INVERSE_NORM : KERAS2_MAX_INVERSE_NORM;
        String y = ctx.tensor("dot");
        ctx.add(new MatMul(ctx.name(), ctx.input(0), ctx.input(1), y, axisA, axisB, normalize, cap));
        return y;
    }
}
