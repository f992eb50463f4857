package io.sofie.keras.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Activation.Kind;
import io.sofie.model.operators.Glu;
import io.sofie.model.operators.Softmax;
import io.sofie.model.operators.Sparsemax;
import io.sofie.model.operators.Unary;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keras activation names (Keras 1, 2 and 3 spellings) and what they compute. The string form ({@code "relu"}) and
 * Keras 3's object form ({@code {"class_name": "function", "config": "relu"}}) are both accepted.
 */
public final class KerasActivations {
    private static final Map<String, Kind> ELEMENTWISE = new TreeMap<>();
    /** Activations over the last axis as a whole rather than elementwise. */
    private static final Set<String> AXIS_WISE = new TreeSet<>(Set.of("softmax", "log_softmax", "glu", "sparsemax"));

    static {
        ELEMENTWISE.put("linear", Kind.IDENTITY);
        ELEMENTWISE.put("relu", Kind.RELU);
        ELEMENTWISE.put("relu6", Kind.RELU6);
        ELEMENTWISE.put("sigmoid", Kind.SIGMOID);
        ELEMENTWISE.put("tanh", Kind.TANH);
        ELEMENTWISE.put("elu", Kind.ELU);
        ELEMENTWISE.put("selu", Kind.SELU);
        ELEMENTWISE.put("softplus", Kind.SOFTPLUS);
        ELEMENTWISE.put("softsign", Kind.SOFTSIGN);
        ELEMENTWISE.put("swish", Kind.SWISH);
        ELEMENTWISE.put("silu", Kind.SWISH);
        ELEMENTWISE.put("gelu", Kind.GELU);
        ELEMENTWISE.put("exponential", Kind.EXP);
        ELEMENTWISE.put("hard_silu", Kind.HARD_SWISH);
        ELEMENTWISE.put("hard_swish", Kind.HARD_SWISH);
        ELEMENTWISE.put("leaky_relu", Kind.LEAKY_RELU);
        ELEMENTWISE.put("mish", Kind.MISH);
        ELEMENTWISE.put("celu", Kind.CELU);
        ELEMENTWISE.put("log_sigmoid", Kind.LOG_SIGMOID);
        ELEMENTWISE.put("hard_tanh", Kind.HARD_TANH);
        ELEMENTWISE.put("soft_shrink", Kind.SOFT_SHRINK);
        ELEMENTWISE.put("hard_shrink", Kind.HARD_SHRINK);
        ELEMENTWISE.put("tanh_shrink", Kind.TANH_SHRINK);
        ELEMENTWISE.put("sparse_plus", Kind.SPARSE_PLUS);
        ELEMENTWISE.put("squareplus", Kind.SQUAREPLUS);
        ELEMENTWISE.put("sparse_sigmoid", Kind.SPARSE_SIGMOID);
        ELEMENTWISE.put("hard_sigmoid", Kind.HARD_SIGMOID);
        // keras.activations.gelu(x, approximate=True), registered under both names by keras_hub (formerly keras_nlp).
        ELEMENTWISE.put("keras_nlp>gelu_approximate", Kind.GELU_TANH);
        ELEMENTWISE.put("keras_hub>gelu_approximate", Kind.GELU_TANH);
    }

    private KerasActivations() {
    }

    /** The activation's name from either form; null for an absent activation (which means linear). */
    static String name(JsonNode activation) {
        if (activation == null || activation.isNull()) {
            return null;
        }
        if (activation.isTextual()) {
            return activation.asText();
        }
        JsonNode cfg = activation.path("config");
        if (cfg.isTextual()) {
            return cfg.asText();
        }
        if (activation.has("registered_name")) {
            return activation.get("registered_name").asText();
        }
        return activation.toString();
    }

    /** Adds the operator for {@code activation} applied to {@code x} and returns its output (x itself if linear). */
    static String apply(LayerContext ctx, String x, JsonNode activation) {
        String name = name(activation);
        if (name == null || name.equals("linear")) {
            return x;
        }
        String y = ctx.tensor(name);
        switch (name) {
            case "softmax":
            case "softmax_v2": // the name some tf.keras 2.x versions wrote for activation=tf.nn.softmax
                ctx.add(new Softmax(ctx.name(), x, y, -1, false));
                return y;
            case "log_softmax":
                ctx.add(new Softmax(ctx.name(), x, y, -1, true));
                return y;
            case "glu":
                if (ctx.shape(x).rank() == 0 || ctx.shape(x).dim(-1) % 2 != 0) {
                    throw ctx.error("activation 'glu' needs an even last axis to split in halves, but the tensor "
                            + "has shape " + ctx.shape(x));
                }
                ctx.add(new Glu(ctx.name(), x, y, -1));
                return y;
            case "sparsemax":
                ctx.add(new Sparsemax(ctx.name(), x, y, -1));
                return y;
            default:
                ctx.add(new Unary(ctx.name(), x, y, elementwise(ctx, name)));
                return y;
        }
    }

    /** The elementwise function of an activation name, with Keras's defaults for its parameters. */
    public static Activation elementwise(LayerContext ctx, String name) {
        Kind kind = ELEMENTWISE.get(name);
        if (kind == null) {
            throw ctx.error("unknown activation '" + name + "' (a custom activation's Python code is not in the "
                    + "file): use a built-in one. Known activations: " + String.join(", ", AXIS_WISE) + ", "
                    + String.join(", ", ELEMENTWISE.keySet()));
        }
        switch (kind) {
            case ELU:
            case CELU:
                return Activation.of(kind, 1f);
            case LEAKY_RELU:
                // keras.activations.leaky_relu's default negative_slope.
                return Activation.of(kind, 0.2f);
            case SOFT_SHRINK:
            case HARD_SHRINK:
                return Activation.of(kind, 0.5f);
            case SQUAREPLUS:
                return Activation.of(kind, 4f);
            case HARD_SIGMOID:
                // Keras 3 changed hard_sigmoid from 0.2x + 0.5 to relu6(x + 3) / 6.
                return ctx.kerasVersion() == KerasVersion.KERAS_3
                        ? Activation.of(Kind.HARD_SIGMOID_RELU6)
                        : Activation.of(Kind.HARD_SIGMOID, 0.2f, 0.5f);
            default:
                return Activation.of(kind);
        }
    }
}
