package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.translate.KerasActivations;
import io.sofie.keras.translate.KerasVersion;
import io.sofie.keras.translate.LayerContext;
import io.sofie.model.Shape;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.GRU;
import io.sofie.model.operators.LSTM;
import io.sofie.model.operators.RNN;
import io.sofie.model.operators.Recurrent;
import java.util.List;
import java.util.Locale;

/**
 * One recurrent cell as a Keras config describes it (a SimpleRNN / LSTM / GRU layer, or a SimpleRNNCell / LSTMCell /
 * GRUCell inside an RNN or StackedRNNCells), with the spellings of Keras 1 ({@code output_dim},
 * {@code inner_activation}, per-gate weights {@code W_i, U_i, b_i, ...}), Keras 2 and Keras 3.
 */
final class RecurrentCell {
    enum Kind {
        SIMPLE(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /** Keras 1 per-gate weight order: LSTM i, c, f, o; GRU z, r, h (Keras 2 and 3 concatenate i, f, c, o / z, r, h). */
    private static final String[] KERAS1_LSTM_GATES = {"i", "c", "f", "o"};
    private static final String[] LSTM_GATES = {"i", "f", "c", "o"};
    private static final String[] GRU_GATES = {"z", "r", "h"};

    final Kind kind;
    final int units;
    final Activation activation;
    final Activation recurrentActivation;
    final boolean useBias;
    final boolean resetAfter;

    private RecurrentCell(Kind kind, int units, Activation activation, Activation recurrentActivation,
            boolean useBias, boolean resetAfter) {
        this.kind = kind;
        this.units = units;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.useBias = useBias;
        this.resetAfter = resetAfter;
    }

    /** The cell of a layer or cell class name and its config; null when the class is not a known cell. */
    static RecurrentCell parse(LayerContext ctx, String className, JsonNode config) {
        Kind kind;
        switch (className) {
            case "SimpleRNN":
            case "SimpleRNNCell":
                kind = Kind.SIMPLE;
                break;
            case "LSTM":
            case "LSTMCell":
                kind = Kind.LSTM;
                break;
            case "GRU":
            case "GRUCell":
                kind = Kind.GRU;
                break;
            default:
                return null;
        }
        JsonNode units = first(config, "units", "output_dim");
        if (units == null || !units.isNumber()) {
            throw ctx.error(className + " config has no integer 'units'");
        }
        JsonNode act = first(config, "activation");
        JsonNode rec = first(config, "recurrent_activation", "inner_activation");
        Activation activation = act == null ? Activation.of(Activation.Kind.TANH)
                : KerasActivations.elementwise(ctx, act);
        Activation recurrent = kind == Kind.SIMPLE ? Activation.IDENTITY
                : rec == null ? defaultRecurrent(ctx) : KerasActivations.elementwise(ctx, rec);
        JsonNode bias = first(config, "use_bias", "bias");
        boolean useBias = bias == null || bias.asBoolean();
        // reset_after arrived in Keras 2.1.5 with default False; tf.keras 2 and Keras 3 default to True.
        JsonNode ra = first(config, "reset_after");
        boolean resetAfter = kind == Kind.GRU && (ra != null ? ra.asBoolean()
                : ctx.kerasVersion() == KerasVersion.KERAS_3);
        return new RecurrentCell(kind, units.asInt(), activation, recurrent, useBias, resetAfter);
    }

    /** Keras 3 defaults recurrent_activation to sigmoid, Keras 1 and 2 to hard_sigmoid. */
    private static Activation defaultRecurrent(LayerContext ctx) {
        return ctx.kerasVersion() == KerasVersion.KERAS_3 ? Activation.of(Activation.Kind.SIGMOID)
                : KerasActivations.elementwise(ctx, "hard_sigmoid");
    }

    private static JsonNode first(JsonNode config, String... keys) {
        for (String k : keys) {
            JsonNode v = config.get(k);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    /** Stored arrays this cell has in the given version's layout, for the weights it finds from {@code from}. */
    int storedArrays(List<KerasWeight> weights, int from) {
        if (isPerGate(weights, from)) {
            return kind.gates * (useBias ? 3 : 2);
        }
        return useBias ? 3 : 2;
    }

    /** Keras 1 stores each gate's W, U, b apart (LSTM and GRU); Keras 2 and 3 concatenate them. */
    private boolean isPerGate(List<KerasWeight> weights, int from) {
        if (kind == Kind.SIMPLE || from >= weights.size()) {
            return false;
        }
        return weights.get(from).shape().rank() == 2 && weights.get(from).shape().dim(1) == units
                && from + 1 < weights.size() && weights.get(from + 1).shape().equals(Shape.of(units, units))
                && weights.size() - from >= kind.gates * 2;
    }

    /**
     * Registers this cell's weights (starting at stored array {@code from}) in Keras 2/3 layout and returns their IR
     * names. {@code tag} keeps the names of several cells of one layer apart.
     */
    Recurrent.Weights addWeights(LayerContext ctx, int from, int inputDim, String tag) {
        List<KerasWeight> stored = ctx.weights();
        int gu = kind.gates * units;
        float[] kernel;
        float[] recurrent;
        float[] bias = null;
        float[] recurrentBias = null;
        if (isPerGate(stored, from)) {
            String[] order = kind == Kind.LSTM ? KERAS1_LSTM_GATES : GRU_GATES;
            String[] target = kind == Kind.LSTM ? LSTM_GATES : GRU_GATES;
            int per = useBias ? 3 : 2;
            kernel = new float[inputDim * gu];
            recurrent = new float[units * gu];
            bias = useBias ? new float[gu] : null;
            for (int g = 0; g < order.length; g++) {
                String gate = gateOf(stored, from + g * per, order[g]);
                int slot = indexOf(target, gate);
                KerasWeight w = ctx.weight(from + g * per, inputDim, units);
                KerasWeight u = ctx.weight(from + g * per + 1, units, units);
                placeColumns(w.data(), kernel, inputDim, units, gu, slot * units);
                placeColumns(u.data(), recurrent, units, units, gu, slot * units);
                if (useBias) {
                    System.arraycopy(ctx.weight(from + g * per + 2, units).data(), 0, bias, slot * units, units);
                }
            }
        } else {
            kernel = ctx.weight(from, inputDim, gu).data();
            recurrent = ctx.weight(from + 1, units, gu).data();
            if (useBias) {
                if (kind == Kind.GRU && resetAfter) {
                    float[] both = ctx.weight(from + 2, 2, gu).data();
                    bias = java.util.Arrays.copyOfRange(both, 0, gu);
                    recurrentBias = java.util.Arrays.copyOfRange(both, gu, 2 * gu);
                } else {
                    bias = ctx.weight(from + 2, gu).data();
                }
            }
        }
        String k = ctx.addWeight(tag + "kernel", Shape.of(inputDim, gu), kernel);
        String r = ctx.addWeight(tag + "recurrent_kernel", Shape.of(units, gu), recurrent);
        String b = bias == null ? null : ctx.addWeight(tag + "bias", Shape.of(gu), bias);
        String rb = recurrentBias == null ? null : ctx.addWeight(tag + "recurrent_bias", Shape.of(gu), recurrentBias);
        return new Recurrent.Weights(k, r, b, rb);
    }

    /** The gate a Keras 1 weight belongs to, from its name ({@code lstm_1_W_f:0}), else the positional default. */
    private String gateOf(List<KerasWeight> stored, int index, String positional) {
        String name = stored.get(index).name().toLowerCase(Locale.ROOT).replaceAll(":\\d+$", "");
        for (String g : kind == Kind.LSTM ? LSTM_GATES : GRU_GATES) {
            if (name.endsWith("_w_" + g)) {
                return g;
            }
        }
        return positional;
    }

    private static int indexOf(String[] a, String v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(v)) {
                return i;
            }
        }
        throw new IllegalArgumentException(v);
    }

    /** Copies a (rows, width) matrix into columns [offset, offset + width) of a (rows, stride) matrix. */
    private static void placeColumns(float[] src, float[] dst, int rows, int width, int stride, int offset) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(src, i * width, dst, i * stride + offset, width);
        }
    }

    /** The IR operator of this cell. */
    Recurrent operator(String name, List<String> inputs, List<String> outputs, Recurrent.Config config,
            List<Recurrent.Weights> weights) {
        switch (kind) {
            case SIMPLE:
                return new RNN(name, inputs, outputs, config, weights);
            case LSTM:
                return new LSTM(name, inputs, outputs, config, weights);
            default:
                return new GRU(name, inputs, outputs, config, weights, resetAfter);
        }
    }

    /** States per direction. */
    int states() {
        return kind == Kind.LSTM ? 2 : 1;
    }

    boolean sameShapeAs(RecurrentCell o) {
        return kind == o.kind && units == o.units && resetAfter == o.resetAfter;
    }
}
