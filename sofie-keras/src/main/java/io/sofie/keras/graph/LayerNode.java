package io.sofie.keras.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A layer of a model config: its class, name, config and the calls the graph makes of it. */
public final class LayerNode {
    private final String className;
    private final String name;
    private final JsonNode config;
    private final List<LayerCall> calls;
    private final KerasGraph nestedModel;

    public LayerNode(String className, String name, JsonNode config, List<LayerCall> calls, KerasGraph nestedModel) {
        this.className = className;
        this.name = name;
        this.config = config;
        this.calls = List.copyOf(calls);
        this.nestedModel = nestedModel;
    }

    public String className() {
        return className;
    }

    public String name() {
        return name;
    }

    /** The layer's {@code config} object. */
    public JsonNode config() {
        return config;
    }

    public List<LayerCall> calls() {
        return calls;
    }

    /** For a layer that is itself a model (Sequential, Functional, Model), its graph; else null. */
    public KerasGraph nestedModel() {
        return nestedModel;
    }

    public boolean isModel() {
        return nestedModel != null;
    }
}
