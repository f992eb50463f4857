package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Einsum;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EinsumDense: {@code activation(einsum(equation, x, kernel) + bias)}. Keras writes the equation over the whole
 * tensor, batch included, in one of three forms ({@code ab,bc->ac}, {@code ...b,bc->...c}, {@code ab...,bc->ac...});
 * this rewrites it per sample, naming the axes an ellipsis covers with unused letters.
 */
public final class EinsumDenseLayer implements LayerTranslator {
    private static final Pattern PLAIN = Pattern.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)");
    private static final Pattern LEFT = Pattern.compile("\\.\\.\\.([a-zA-Z]+),([a-zA-Z]+)->\\.\\.\\.([a-zA-Z]+)");
    private static final Pattern RIGHT =
            Pattern.compile("([a-zA-Z]{2,})\\.\\.\\.,([a-zA-Z]+)->([a-zA-Z]+)\\.\\.\\.");

    @Override
    public Set<String> classNames() {
        return Set.of("EinsumDense");
    }

    @Override
    public void translate(LayerContext ctx) {
        ctx.expectInputs(1);
        Shape in = ctx.inputShape(0);
        String equation = ctx.stringParam(null, "equation");
        if (equation == null) {
            throw ctx.error("config has no 'equation'");
        }
        String perSample = perSampleEquation(ctx, equation, in.rank() + 1);
        String biasAxes = ctx.stringParam(null, "bias_axes");
        ctx.expectWeightCount(biasAxes == null ? 1 : 2, biasAxes == null ? "kernel" : "kernel, bias");
        String kernel = ctx.addWeight("kernel", ctx.weights().get(0));
        String bias = biasAxes == null ? null : ctx.addWeight("bias", ctx.weights().get(1));
        String y = ctx.tensor("einsum");
        ctx.add(new Einsum(ctx.name(), ctx.input(0), y, perSample, kernel, bias));
        checkOutputShape(ctx, ctx.shape(y));
        ctx.output(ctx.activate(y, ctx.param("activation")));
    }

    /** The equation without the batch axis, ellipses replaced by letters the equation does not use. */
    static String perSampleEquation(LayerContext ctx, String equation, int fullRank) {
        String eq = equation.replace(" ", "");
        Matcher m;
        if ((m = PLAIN.matcher(eq)).matches()) {
            return dropBatch(ctx, equation, m.group(1), m.group(2), m.group(3), "");
        }
        if ((m = LEFT.matcher(eq)).matches()) {
            int elided = fullRank - m.group(1).length();
            if (elided < 1) {
                return dropBatch(ctx, equation, m.group(1), m.group(2), m.group(3), "");
            }
            // The ellipsis covers the batch and elided - 1 per-sample axes.
            String fresh = freshLabels(eq, elided - 1);
            return fresh + m.group(1) + "," + m.group(2) + "->" + fresh + m.group(3);
        }
        if ((m = RIGHT.matcher(eq)).matches()) {
            int elided = fullRank - m.group(1).length();
            if (elided < 0) {
                throw ctx.error("equation '" + equation + "' names more axes than the input has");
            }
            return dropBatch(ctx, equation, m.group(1), m.group(2), m.group(3), freshLabels(eq, elided));
        }
        throw ctx.error("equation '" + equation + "' is not of a form EinsumDense accepts: "
                + "[X],[Y]->[Z], ...[X],[Y]->...[Z] or [X]...,[Y]->[Z]...");
    }

    private static String dropBatch(LayerContext ctx, String equation, String x, String w, String y, String tail) {
        char batch = x.charAt(0);
        if (y.isEmpty() || y.charAt(0) != batch || w.indexOf(batch) >= 0) {
            throw ctx.unsupported("equation '" + equation + "', whose batch axis '" + batch
                    + "' is not the first output axis or is in the kernel,");
        }
        return x.substring(1) + tail + "," + w + "->" + y.substring(1) + tail;
    }

    private static String freshLabels(String used, int count) {
        StringBuilder sb = new StringBuilder();
        for (char c = 'a'; sb.length() < count && c <= 'z'; c++) {
            if (used.indexOf(c) < 0) {
                sb.append(c);
            }
        }
        for (char c = 'A'; sb.length() < count && c <= 'Z'; c++) {
            if (used.indexOf(c) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The config's output_shape (without batch, None allowed) must match what the equation produces. */
    private static void checkOutputShape(LayerContext ctx, Shape actual) {
        JsonNode declared = ctx.param("output_shape");
        if (declared == null) {
            return;
        }
        int[] dims = declared.isArray() ? new int[declared.size()] : new int[] {declared.asInt()};
        boolean[] known = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = declared.isArray() ? declared.get(i) : declared;
            known[i] = d.isNumber();
            dims[i] = d.asInt();
        }
        // Right-elided axes follow the declared ones and left-elided axes precede them: compare the declared part.
        boolean ok = dims.length <= actual.rank();
        for (int i = 0; ok && i < dims.length; i++) {
            int a = actual.dim(i);
            int b = actual.dim(actual.rank() - dims.length + i);
            ok = !known[i] || dims[i] == a || dims[i] == b;
        }
        if (!ok) {
            throw ctx.error("equation gives output shape " + actual + " but the config declares output_shape "
                    + declared + ": the config is inconsistent; save the model again");
        }
    }
}
