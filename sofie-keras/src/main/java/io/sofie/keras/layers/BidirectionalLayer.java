package io.sofie.keras.layers;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.translate.LayerContext;
import io.sofie.keras.translate.LayerTranslator;
import io.sofie.model.Shape;
import io.sofie.model.operators.Recurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bidirectional around SimpleRNN, LSTM, GRU or RNN with one cell: one operator running both directions (as ONNX's
 * {@code direction="bidirectional"}), the backward sequence re-aligned to time, merged by {@code merge_mode}
 * (concat, sum, mul, ave, or None for two outputs). Weights are the forward layer's, then the backward layer's.
 */
public final class BidirectionalLayer implements LayerTranslator {
    @Override
    public Set<String> classNames() {
        return Set.of("Bidirectional");
    }

    @Override
    public void translate(LayerContext ctx) {
        JsonNode forward = ctx.param("layer");
        if (forward == null || !forward.has("class_name")) {
            throw ctx.error("config has no wrapped 'layer'");
        }
        JsonNode backward = ctx.param("backward_layer");
        if (backward == null) {
            // Keras 1 and early Keras 2: the backward layer is a copy of the forward one.
            backward = forward;
        }
        RecurrentCell fw = single(ctx, forward);
        RecurrentCell bw = single(ctx, backward);
        if (!fw.sameShapeAs(bw)) {
            throw ctx.unsupported("a backward_layer of another class or size than the forward layer");
        }
        if (fw.activation.kind() != bw.activation.kind() || fw.recurrentActivation.kind()
                != bw.recurrentActivation.kind()) {
            throw ctx.unsupported("a backward_layer with other activations than the forward layer");
        }
        JsonNode fwConfig = forward.path("config");
        RecurrentOptions opt = RecurrentOptions.of(ctx, fwConfig);
        Recurrent.Merge merge = merge(ctx);
        Shape in = ctx.inputShape(0);
        if (in.rank() != 2) {
            throw ctx.error("needs input (timesteps, features), got " + in);
        }
        String mask = RecurrentOptions.mask(ctx);
        List<String> initial = RecurrentOptions.initialStates(ctx);
        if (!initial.isEmpty() && initial.size() != 2 * fw.states()) {
            throw ctx.error("is given " + initial.size() + " initial state(s); it has " + 2 * fw.states());
        }
        Recurrent.Weights fwWeights = fw.addWeights(ctx, 0, in.dim(1), "forward/");
        int split = fw.storedArrays(ctx.weights(), 0);
        Recurrent.Weights bwWeights = bw.addWeights(ctx, split, in.dim(1), "backward/");
        int total = split + bw.storedArrays(ctx.weights(), split);
        if (total != ctx.weights().size()) {
            throw ctx.error("the file stores " + ctx.weights().size() + " weight arrays for this layer but its "
                    + "config needs " + total + ": the weights do not match the config; save the model again");
        }
        Recurrent.Config config = new Recurrent.Config(fw.units, fw.activation, fw.recurrentActivation,
                opt.returnSequences, opt.returnState, false, merge, opt.stateful, opt.zeroOutputForMask,
                mask != null, !initial.isEmpty());
        List<String> inputs = new ArrayList<>();
        inputs.add(ctx.input(0));
        if (mask != null) {
            inputs.add(mask);
        }
        inputs.addAll(initial);
        int outs = (merge == Recurrent.Merge.NONE ? 2 : 1) + (opt.returnState ? 2 * fw.states() : 0);
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < outs; i++) {
            outputs.add(ctx.outputName(i));
        }
        ctx.add(fw.operator(ctx.name(), inputs, outputs, config, List.of(fwWeights, bwWeights)));
        ctx.output(outputs.toArray(new String[0]));
        int sequences = merge == Recurrent.Merge.NONE ? 2 : 1;
        for (int i = 0; i < sequences; i++) {
            ctx.outputMask(outputs.get(i), opt.returnSequences ? mask : null);
        }
    }

    /** The one cell of a wrapped layer config. */
    private static RecurrentCell single(LayerContext ctx, JsonNode layer) {
        String cls = layer.path("class_name").asText();
        JsonNode config = layer.path("config");
        if (config.path("go_backwards").asBoolean(false) && layer != ctx.param("backward_layer")) {
            throw ctx.unsupported("Bidirectional around a layer with go_backwards=True");
        }
        List<RecurrentCell> cells = RecurrentLayers.cells(ctx, cls, config);
        if (cells.size() != 1) {
            throw ctx.unsupported("Bidirectional around StackedRNNCells");
        }
        return cells.get(0);
    }

    private static Recurrent.Merge merge(LayerContext ctx) {
        JsonNode m = ctx.config().get("merge_mode");
        if (m == null || m.isNull()) {
            return ctx.config().has("merge_mode") ? Recurrent.Merge.NONE : Recurrent.Merge.CONCAT;
        }
        switch (m.asText().toLowerCase(Locale.ROOT)) {
            case "concat":
                return Recurrent.Merge.CONCAT;
            case "sum":
                return Recurrent.Merge.SUM;
            case "mul":
                return Recurrent.Merge.MUL;
            case "ave":
                return Recurrent.Merge.AVE;
            default:
                throw ctx.unsupported("merge_mode '" + m.asText() + "'");
        }
    }

}
