package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Attention;
import java.util.Set;

/**
 * Attention (Luong: dot or concat scores) and AdditiveAttention (Bahdanau), called on {@code [query, value]} or
 * {@code [query, value, key]} of shapes (T, dim). Weights in build order: Attention's scalar {@code scale} (with
 * use_scale) then scalar {@code concat_score_weight} (concat mode); AdditiveAttention's {@code scale} of shape (dim).
 */
public final class AttentionLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Attention", "AdditiveAttention");
    }

    @Override
    public void translate(LayerContext ctx) {
        if (ctx.inputCount() != 2 && ctx.inputCount() != 3) {
            throw ctx.error("is called with " + ctx.inputCount() + " input(s); it takes [query, value] or "
                    + "[query, value, key]");
        }
        JsonNode kwargs = ctx.call().kwargs();
        if (kwargs.path("return_attention_scores").asBoolean(false)) {
            throw ctx.unsupported("return_attention_scores=True");
        }
        if (kwargs.hasNonNull("mask") || ctx.call().keywordTensors().containsKey("mask")) {
            throw ctx.unsupported("an explicit attention mask");
        }
        String query = ctx.input(0);
        String value = ctx.input(1);
        String key = ctx.inputCount() == 3 ? ctx.input(2) : value;
        Shape q = ctx.shape(query);
        if (q.rank() == 1) {
            // Keras multiplies (batch, dim) by its transpose: every sample attends over the whole batch.
            throw ctx.unsupported("attention on per-sample vectors " + q + ", which Keras computes across the samples "
                    + "of a batch (generated code computes each sample alone); give the layer (T, dim) sequences");
        }
        if (q.rank() != 2) {
            throw ctx.unsupported("a query of per-sample shape " + q + " (the layer takes sequences (T, dim))");
        }
        int dim = q.dim(-1);
        // Keras 2 spelled the causal mask as the layer's 'causal' config; Keras 3 passes it to the call.
        boolean causal = kwargs.path("use_causal_mask").asBoolean(false) || ctx.boolParam(false, "causal");
        String y = ctx.tensor("attention");
        if ("AdditiveAttention".equals(ctx.className())) {
            boolean useScale = ctx.boolParam(true, "use_scale");
            ctx.expectWeightCount(useScale ? 1 : 0, useScale ? "scale" : "none");
            String scale = useScale ? ctx.addWeight("scale", ctx.weight(0, dim)) : null;
            ctx.add(Attention.tanh(ctx.name(), query, key, value, y, null, scale, null, causal));
        } else {
            boolean useScale = ctx.boolParam(false, "use_scale");
            String mode = ctx.stringParam("dot", "score_mode");
            boolean concat = "concat".equals(mode);
            if (!concat && !"dot".equals(mode)) {
                throw ctx.unsupported("score_mode '" + mode + "'");
            }
            int count = (useScale ? 1 : 0) + (concat ? 1 : 0);
            ctx.expectWeightCount(count, (useScale ? "scale " : "") + (concat ? "concat_score_weight" : ""));
            String scale = useScale ? ctx.addWeight("scale", ctx.weight(0)) : null;
            if (concat) {
                String csw = ctx.addWeight("concat_score_weight", ctx.weight(count - 1));
                ctx.add(Attention.tanh(ctx.name(), query, key, value, y, scale, null, csw, causal));
            } else {
                ctx.add(Attention.dot(ctx.name(), query, key, value, y, 1f, scale, causal));
            }
        }
        ctx.output(y);
    }
}
