package io.sofie.keras.layers;

import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.operators.Concat;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.Elementwise.Kind;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (elementwise over any number of inputs, with
 * numpy broadcasting of per-sample shapes as Keras 2 and 3 allow), Concatenate, and the Keras 1 Merge layer in its
 * sum, mul, ave, max, concat and dot modes.
 */
public final class MergeLayers implements LayerTranslator {
    private static final Map<String, Kind> ELEMENTWISE = Map.of(
            "Add", Kind.ADD,
            "Subtract", Kind.SUB,
            "Multiply", Kind.MUL,
            "Average", Kind.MEAN,
            "Maximum", Kind.MAX,
            "Minimum", Kind.MIN);
    private static final Map<String, Kind> KERAS1_MODES = Map.of(
            "sum", Kind.ADD,
            "mul", Kind.MUL,
            "ave", Kind.MEAN,
            "max", Kind.MAX);

    @Override
    public Set<String> classNames() {
        return Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Merge");
    }

    @Override
    public void translate(LayerContext ctx) {
        String cls = ctx.className();
        if (cls.equals("Concatenate")) {
            ctx.output(concat(ctx, ctx.intParam(-1, "axis", "concat_axis")));
        } else if (cls.equals("Merge")) {
            merge(ctx);
        } else {
            ctx.output(elementwise(ctx, ELEMENTWISE.get(cls)));
        }
    }

    private static String elementwise(LayerContext ctx, Kind kind) {
        if (kind == Kind.SUB) {
            ctx.expectInputs(2);
        } else if (ctx.inputCount() < 1) {
            throw ctx.error("is called without inputs");
        }
        String y = ctx.tensor(kind.onnxName().toLowerCase(Locale.ROOT));
        ctx.add(new Elementwise(ctx.name(), kind, ctx.inputs(), y));
        return y;
    }

    private static String concat(LayerContext ctx, int kerasAxis) {
        if (ctx.inputCount() < 1) {
            throw ctx.error("is called without inputs");
        }
        int axis = ctx.sampleAxis(kerasAxis, ctx.inputShape(0).rank());
        String y = ctx.tensor("concat");
        ctx.add(new Concat(ctx.name(), ctx.inputs(), y, axis));
        return y;
    }

    /** Keras 1 Merge: the mode names the operation; a Python lambda mode is never run. */
    private static void merge(LayerContext ctx) {
        if ("lambda".equals(ctx.stringParam("raw", "mode_type"))) {
            throw ctx.unsupported("a Merge layer with a Python function as its mode");
        }
        if (ctx.has("layers")) {
            throw ctx.unsupported("a Keras 1 Merge of whole models inside a Sequential model");
        }
        String mode = ctx.stringParam("sum", "mode");
        Kind kind = KERAS1_MODES.get(mode);
        if (kind != null) {
            ctx.output(elementwise(ctx, kind));
        } else if (mode.equals("concat")) {
            ctx.output(concat(ctx, ctx.intParam(-1, "concat_axis", "axis")));
        } else if (mode.equals("dot")) {
            ctx.expectInputs(2);
            ctx.output(DotLayer.dot(ctx, ctx.param("dot_axes"), false));
        } else {
            throw ctx.unsupported("Merge mode '" + mode + "'");
        }
    }
}
