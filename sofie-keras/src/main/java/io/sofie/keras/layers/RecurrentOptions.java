package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import java.util.ArrayList;
import java.util.List;

/** The layer-level options of a Keras recurrent layer and how its call supplies a mask and initial states. */
final class RecurrentOptions {
    final boolean returnSequences;
    final boolean returnState;
    final boolean goBackwards;
    final boolean stateful;
    final boolean zeroOutputForMask;

    private RecurrentOptions(JsonNode c) {
        returnSequences = c.path("return_sequences").asBoolean(false);
        returnState = c.path("return_state").asBoolean(false);
        goBackwards = c.path("go_backwards").asBoolean(false);
        stateful = c.path("stateful").asBoolean(false);
        zeroOutputForMask = c.path("zero_output_for_mask").asBoolean(false);
    }

    static RecurrentOptions of(LayerContext ctx, JsonNode config) {
        if (config.path("time_major").asBoolean(false)) {
            throw ctx.unsupported("time_major=True (inputs must be batch first, as Keras's default)");
        }
        return new RecurrentOptions(config);
    }

    /** The mask the call gets: an explicit {@code mask=} tensor, else the input's Keras mask; or null. */
    static String mask(LayerContext ctx) {
        String explicit = ctx.keywordInput("mask");
        String propagated = ctx.inputMask(0);
        String mask = explicit != null ? explicit : propagated;
        if (mask != null && !ctx.shape(mask).equals(io.sofie.model.Shape.of(ctx.inputShape(0).dim(0)))) {
            throw ctx.unsupported("a mask of shape " + ctx.shape(mask) + " for input " + ctx.inputShape(0));
        }
        return mask;
    }

    /**
     * Initial states: Keras 3 passes {@code initial_state=[...]} by keyword; Keras 2 configs list them as further
     * inputs of the call.
     */
    static List<String> initialStates(LayerContext ctx) {
        List<String> states = new ArrayList<>();
        for (int i = 0; ; i++) {
            String s = ctx.keywordInput("initial_state[" + i + "]");
            if (s == null) {
                break;
            }
            states.add(s);
        }
        String single = ctx.keywordInput("initial_state");
        if (single != null) {
            states.add(single);
        }
        for (int i = 1; i < ctx.inputCount(); i++) {
            states.add(ctx.input(i));
        }
        return states;
    }
}
