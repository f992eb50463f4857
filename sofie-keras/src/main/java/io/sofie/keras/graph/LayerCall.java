package io.sofie.keras.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;

/** One call of a layer in a functional graph: the tensors it reads and its non-tensor keyword arguments. */
public final class LayerCall {
    private final List<TensorRef> inputs;
    private final Map<String, TensorRef> keywordTensors;
    private final JsonNode kwargs;
    private final JsonNode args;

    public LayerCall(List<TensorRef> inputs, Map<String, TensorRef> keywordTensors, JsonNode kwargs) {
        this(inputs, keywordTensors, kwargs, null);
    }

    /** @param args Keras 3's positional arguments as saved, constants included; null when the format has none */
    public LayerCall(List<TensorRef> inputs, Map<String, TensorRef> keywordTensors, JsonNode kwargs, JsonNode args) {
        this.inputs = List.copyOf(inputs);
        this.keywordTensors = Map.copyOf(keywordTensors);
        this.kwargs = kwargs == null ? NullNode.getInstance() : kwargs;
        this.args = args == null ? NullNode.getInstance() : args;
    }

    /**
     * The positional arguments as Keras 3 saved them (tensors as {@code __keras_tensor__} objects, constants as
     * values, such as the 0.0 of {@code ops.not_equal(x, 0.0)}); a NullNode for Keras 1 and 2 configs.
     */
    public JsonNode args() {
        return args;
    }

    /** Positional tensor arguments, flattened in order (a merge layer's list of inputs is flattened). */
    public List<TensorRef> inputs() {
        return inputs;
    }

    /**
     * Tensors passed by keyword, such as MultiHeadAttention's {@code key} or a {@code mask}; the elements of a list
     * of tensors (an RNN's {@code initial_state}) appear as {@code initial_state[0]}, {@code initial_state[1]}, ...
     */
    public Map<String, TensorRef> keywordTensors() {
        return keywordTensors;
    }

    /** The call's keyword arguments as saved (for example {@code training}, {@code use_causal_mask}). */
    public JsonNode kwargs() {
        return kwargs;
    }
}
