package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Recurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SimpleRNN, LSTM, GRU (all Keras versions) and the generic RNN layer around SimpleRNNCell, LSTMCell, GRUCell or
 * StackedRNNCells. Stacked cells become a chain of operators, each feeding the next its output sequence.
 */
public final class RecurrentLayers implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("SimpleRNN", "LSTM", "GRU", "RNN");
    }

    @Override
    public void translate(LayerContext ctx) {
        List<RecurrentCell> cells = cells(ctx, ctx.className(), ctx.config());
        RecurrentOptions opt = RecurrentOptions.of(ctx, ctx.config());
        String x = ctx.input(0);
        Shape in = ctx.inputShape(0);
        if (in.rank() != 2) {
            throw ctx.error("needs input (timesteps, features), got " + in);
        }
        String mask = RecurrentOptions.mask(ctx);
        List<String> initial = RecurrentOptions.initialStates(ctx);
        if (cells.size() > 1 && (!initial.isEmpty() || opt.returnState)) {
            throw ctx.unsupported("initial_state or return_state with StackedRNNCells");
        }
        if (cells.size() > 1 && mask != null && opt.goBackwards) {
            throw ctx.unsupported("go_backwards with StackedRNNCells on a masked sequence");
        }
        int from = 0;
        int inputDim = in.dim(1);
        for (int i = 0; i < cells.size(); i++) {
            RecurrentCell cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            if (!initial.isEmpty() && initial.size() != cell.states()) {
                throw ctx.error("is given " + initial.size() + " initial state(s); it has " + cell.states());
            }
            Recurrent.Weights w = cell.addWeights(ctx, from, inputDim, cells.size() == 1 ? "" : "cell" + i + "/");
            from += cell.storedArrays(ctx.weights(), from);
            Recurrent.Config config = new Recurrent.Config(cell.units, cell.activation, cell.recurrentActivation,
                    !last || opt.returnSequences, last && opt.returnState, i == 0 && opt.goBackwards, null,
                    opt.stateful, opt.zeroOutputForMask, mask != null, !initial.isEmpty());
            List<String> inputs = new ArrayList<>();
            inputs.add(x);
            if (mask != null) {
                inputs.add(mask);
            }
            inputs.addAll(initial);
            List<String> outputs = new ArrayList<>();
            int outs = 1 + (config.returnState() ? cell.states() : 0);
            for (int o = 0; o < outs; o++) {
                outputs.add(last ? ctx.outputName(o) : ctx.tensor("cell" + i));
            }
            ctx.add(cell.operator(ctx.name(), inputs, outputs, config, List.of(w)));
            x = outputs.get(0);
            inputDim = cell.units;
            if (last) {
                ctx.output(outputs.toArray(new String[0]));
                // Keras passes the input mask on with the sequence (not reversed for go_backwards).
                ctx.outputMask(outputs.get(0), opt.returnSequences ? mask : null);
            }
        }
        if (from != ctx.weights().size()) {
            throw ctx.error("the file stores " + ctx.weights().size() + " weight arrays for this layer but its "
                    + "config needs " + from + ": the weights do not match the config; save the model again");
        }
    }

    /** The cells of a recurrent layer config: one for SimpleRNN / LSTM / GRU, one or more for RNN. */
    static List<RecurrentCell> cells(LayerContext ctx, String className, JsonNode config) {
        RecurrentCell direct = RecurrentCell.parse(ctx, className, config);
        if (direct != null) {
            return List.of(direct);
        }
        if (!"RNN".equals(className)) {
            throw ctx.unsupported("recurrent layer class " + className);
        }
        JsonNode cell = config.get("cell");
        List<JsonNode> specs = new ArrayList<>();
        if (cell != null && cell.isArray()) {
            cell.forEach(specs::add);
        } else if (cell != null && "StackedRNNCells".equals(cell.path("class_name").asText())) {
            cell.path("config").path("cells").forEach(specs::add);
        } else if (cell != null) {
            specs.add(cell);
        }
        if (specs.isEmpty()) {
            throw ctx.error("RNN config has no cell");
        }
        List<RecurrentCell> cells = new ArrayList<>();
        for (JsonNode spec : specs) {
            String cls = spec.path("class_name").asText();
            RecurrentCell c = RecurrentCell.parse(ctx, cls, spec.path("config"));
            if (c == null) {
                throw ctx.unsupported("RNN cell class " + cls + " (a custom cell's Python code is not in the file)");
            }
            cells.add(c);
        }
        return cells;
    }
}
