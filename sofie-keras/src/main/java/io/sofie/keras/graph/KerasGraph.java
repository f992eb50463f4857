package io.sofie.keras.graph;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras model as a graph of layer calls, whatever form its config had (Keras 1, 2 or 3; Sequential or
 * functional). Input layers are layers of class InputLayer with no calls; their output is {@code (name, 0, 0)}.
 */
public final class KerasGraph {
    private final String name;
    private final Map<String, LayerNode> layers;
    private final List<TensorRef> inputs;
    private final List<TensorRef> outputs;

    public KerasGraph(String name, List<LayerNode> layers, List<TensorRef> inputs, List<TensorRef> outputs) {
        this.name = name;
        Map<String, LayerNode> byName = new LinkedHashMap<>();
        for (LayerNode l : layers) {
            byName.put(l.name(), l);
        }
        this.layers = byName;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    public String name() {
        return name;
    }

    /** Layers in config order. */
    public Iterable<LayerNode> layers() {
        return layers.values();
    }

    public LayerNode layer(String name) {
        return layers.get(name);
    }

    public List<TensorRef> inputs() {
        return inputs;
    }

    public List<TensorRef> outputs() {
        return outputs;
    }

    /** Names of all layers at any depth of nesting, nested models themselves excluded. */
    public Set<String> leafLayerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (LayerNode l : layers.values()) {
            if (l.isModel()) {
                names.addAll(l.nestedModel().leafLayerNames());
            } else {
                names.add(l.name());
            }
        }
        return names;
    }
}
