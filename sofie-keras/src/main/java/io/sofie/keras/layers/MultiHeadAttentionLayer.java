package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Attention;
import io.sofie.model.operators.Einsum;
import java.util.Set;

/**
 * MultiHeadAttention on sequences (T, dim): query, key and value projections {@code (T, dim) x (dim, heads, d) ->
 * (T, heads, d)}, dot-product attention per head with the query scaled by 1/sqrt(key_dim), then the output
 * projection {@code (T, heads, value_dim) x (heads, value_dim, out...) -> (T, out...)}. The query comes
 * positionally, the value positionally (Keras 3) or by keyword (Keras 2), the key positionally third or by keyword,
 * else the value is the key. Weights in build order: query, key, value, attention_output, each kernel then (with
 * use_bias) bias.
 */
public final class MultiHeadAttentionLayer implements LayerTranslator {
    private static final String OUTPUT_LABELS = "efghij";

    @Override
    public Set<String> classNames() {
        return Set.of("MultiHeadAttention");
    }

    @Override
    public void translate(LayerContext ctx) {
        for (String kw : ctx.keywordInputNames()) {
            if (!"key".equals(kw) && !"value".equals(kw)) {
                throw ctx.unsupported("passing '" + kw + "' to the call");
            }
        }
        // Keras 3 passes query and value positionally; Keras 2 only the query, value and key by keyword.
        String value = ctx.inputCount() > 1 ? ctx.input(1) : ctx.keywordInput("value");
        if (ctx.inputCount() > 3 || value == null) {
            throw ctx.error("is called with " + ctx.inputCount() + " positional input(s) and keyword tensors "
                    + ctx.keywordInputNames() + "; it takes query, value and optionally key");
        }
        JsonNode kwargs = ctx.call().kwargs();
        if (kwargs.path("return_attention_scores").asBoolean(false)) {
            throw ctx.unsupported("return_attention_scores=True");
        }
        boolean causal = kwargs.path("use_causal_mask").asBoolean(false);
        String query = ctx.input(0);
        String key = ctx.inputCount() == 3 ? ctx.input(2)
                : ctx.keywordInput("key") != null ? ctx.keywordInput("key") : value;
        Shape q = ctx.shape(query);
        Shape k = ctx.shape(key);
        Shape v = ctx.shape(value);
        if (q.rank() != 2 || k.rank() != 2 || v.rank() != 2) {
            throw ctx.unsupported("attention over inputs of per-sample shapes " + q + ", " + k + ", " + v
                    + " (only sequences (T, dim) are)");
        }
        int[] axes = ctx.intsParam("attention_axes");
        if (axes != null && !(axes.length == 1 && (axes[0] == 1 || axes[0] == -2))) {
            throw ctx.unsupported("attention_axes " + ctx.param("attention_axes"));
        }
        int heads = ctx.requireInt("num_heads");
        int keyDim = ctx.requireInt("key_dim");
        int valueDim = ctx.intParam(keyDim, "value_dim");
        boolean useBias = ctx.boolParam(true, "use_bias");
        int[] outShape = ctx.intsParam("output_shape");
        if (outShape == null) {
            outShape = new int[] {q.dim(-1)};
        }
        if (outShape.length > OUTPUT_LABELS.length()) {
            throw ctx.unsupported("output_shape " + ctx.param("output_shape"));
        }
        ctx.expectWeightCount(useBias ? 8 : 4, useBias ? "kernel and bias of query, key, value, attention_output"
                : "kernel of query, key, value, attention_output");
        int step = useBias ? 2 : 1;
        String qp = project(ctx, "query", 0, query, q.dim(-1), heads, keyDim, useBias);
        String kp = project(ctx, "key", step, key, k.dim(-1), heads, keyDim, useBias);
        String vp = project(ctx, "value", 2 * step, value, v.dim(-1), heads, valueDim, useBias);
        String att = ctx.tensor("attention");
        float queryScale = (float) (1.0 / Math.sqrt(keyDim));
        ctx.add(Attention.dot(ctx.name(), qp, kp, vp, att, queryScale, null, causal));

        int[] kernelDims = new int[2 + outShape.length];
        kernelDims[0] = heads;
        kernelDims[1] = valueDim;
        System.arraycopy(outShape, 0, kernelDims, 2, outShape.length);
        String outLabels = OUTPUT_LABELS.substring(0, outShape.length);
        String kernel = ctx.addWeight("attention_output/kernel", ctx.weight(3 * step, kernelDims));
        String bias = useBias ? ctx.addWeight("attention_output/bias", ctx.weight(3 * step + 1, outShape)) : null;
        String y = ctx.tensor("output");
        ctx.add(new Einsum(ctx.name(), att, y, "bcd,cd" + outLabels + "->b" + outLabels, kernel, bias));
        ctx.output(y);
    }

    /** One of the query, key and value projections: (T, dim) -> (T, heads, size). */
    private static String project(LayerContext ctx, String part, int index, String input, int dim, int heads,
            int size, boolean useBias) {
        KerasWeight kw = ctx.weight(index, dim, heads, size);
        String kernel = ctx.addWeight(part + "/kernel", kw);
        String bias = useBias ? ctx.addWeight(part + "/bias", ctx.weight(index + 1, heads, size)) : null;
        String out = ctx.tensor(part);
        ctx.add(new Einsum(ctx.name(), input, out, "bc,cde->bde", kernel, bias));
        return out;
    }
}
