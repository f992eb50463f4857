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
    private final String module;
    private final String registeredName;

    public LayerNode(String className, String name, JsonNode config, List<LayerCall> calls, KerasGraph nestedModel) {
        this(className, name, config, calls, nestedModel, null, null);
    }

    /** With the Python {@code module} and {@code registered_name} Keras 3 (and tf.keras 2.13+) record, or nulls. */
    public LayerNode(String className, String name, JsonNode config, List<LayerCall> calls, KerasGraph nestedModel,
            String module, String registeredName) {
        this.className = className;
        this.name = name;
        this.config = config;
        this.calls = List.copyOf(calls);
        this.nestedModel = nestedModel;
        this.module = module;
        this.registeredName = registeredName;
    }

    /** The Python module the layer class comes from ({@code keras.layers}, {@code my_project.layers}), or null. */
    public String module() {
        return module;
    }

    /** The name the class was registered under ({@code "my_package>MyLayer"}), or null. */
    public String registeredName() {
        return registeredName;
    }

    /**
     * True for a layer Keras records as coming from outside Keras: a Python module that is not Keras's own, or a
     * class registered with {@code register_keras_serializable} ({@code package>name}).
     */
    public boolean isCustom() {
        boolean kerasModule = module == null || module.equals("keras") || module.startsWith("keras.")
                || module.startsWith("tf_keras") || module.startsWith("tensorflow");
        return !kerasModule || registeredName != null && registeredName.contains(">");
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
