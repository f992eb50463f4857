package io.sofie.keras.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model config ({@code {"class_name": ..., "config": ...}}) of any Keras version into a {@link KerasGraph}.
 *
 * <ul>
 *   <li>Sequential: Keras 1 and early Keras 2 store a list of layers, later versions {@code {"layers": [...]}}; a
 *       missing InputLayer is synthesised from the first layer's {@code batch_input_shape}.
 *   <li>Functional (Keras 1 {@code Model}): Keras 1 and 2 store {@code inbound_nodes} as lists of
 *       {@code [layer, node, tensor, kwargs]}; Keras 3 as {@code {"args": [...], "kwargs": {...}}} holding
 *       {@code __keras_tensor__} objects.
 * </ul>
 */
public final class ConfigParser {
    private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");

    private ConfigParser() {
    }

    public static boolean isModelClass(String className) {
        return MODEL_CLASSES.contains(className);
    }

    /** Parses the top-level model object; throws IllegalArgumentException describing what is malformed. */
    public static KerasGraph parse(JsonNode model) {
        String className = model.path("class_name").asText("");
        if (!isModelClass(className)) {
            throw new IllegalArgumentException("the model config's class_name is '" + className
                    + "', not Sequential, Functional or Model");
        }
        return parseModel(className, model.path("config"));
    }

    /**
     * A layer a wrapper holds ({@code {"class_name": ..., "config": ...}}, as TimeDistributed's {@code layer}), with
     * no calls of its own; a model is parsed into its graph.
     */
    public static LayerNode wrappedLayer(JsonNode spec) {
        String cls = spec.path("class_name").asText("");
        if (cls.isEmpty() || !spec.path("config").isObject() && !spec.path("config").isArray()) {
            throw new IllegalArgumentException("the wrapped layer " + spec + " has no class_name and config");
        }
        return new LayerNode(cls, layerName(spec), spec.path("config"), List.of(), nested(cls, spec),
                text(spec, "module"), text(spec, "registered_name"));
    }

    /** A string field of a layer entry, or null when absent or not a string. */
    private static String text(JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static KerasGraph parseModel(String className, JsonNode config) {
        return "Sequential".equals(className) ? parseSequential(config) : parseFunctional(config);
    }

    private static KerasGraph parseSequential(JsonNode config) {
        JsonNode layers = config.isArray() ? config : config.path("layers");
        String name = config.isObject() ? config.path("name").asText("sequential") : "sequential";
        if (!layers.isArray() || layers.size() == 0) {
            throw new IllegalArgumentException("Sequential model '" + name + "' has no layers");
        }
        List<LayerNode> nodes = new ArrayList<>();
        JsonNode first = layers.get(0);
        String previous;
        int start;
        if ("InputLayer".equals(first.path("class_name").asText())) {
            previous = layerName(first);
            nodes.add(new LayerNode("InputLayer", previous, first.path("config"), List.of(), null));
            start = 1;
        } else {
            previous = layerName(first) + "_input";
            nodes.add(new LayerNode("InputLayer", previous, synthesizedInput(first, config), List.of(), null));
            start = 0;
        }
        TensorRef input = new TensorRef(previous, 0, 0);
        for (int i = start; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            String cls = layer.path("class_name").asText();
            String lname = layerName(layer);
            LayerCall call = new LayerCall(List.of(new TensorRef(previous, 0, 0)), Map.of(), null);
            nodes.add(new LayerNode(cls, lname, layer.path("config"), List.of(call), nested(cls, layer),
                    text(layer, "module"), text(layer, "registered_name")));
            previous = lname;
        }
        return new KerasGraph(name, nodes, List.of(input), List.of(new TensorRef(previous, 0, 0)));
    }

    /** An InputLayer config built from the shape the first layer of a Sequential model declares. */
    private static JsonNode synthesizedInput(JsonNode first, JsonNode sequentialConfig) {
        ObjectNode cfg = JsonNodeFactory.instance.objectNode();
        JsonNode c = first.path("config");
        JsonNode shape = c.get("batch_input_shape");
        if (shape == null || shape.isNull()) {
            shape = c.get("batch_shape");
        }
        if ((shape == null || shape.isNull()) && sequentialConfig.isObject()) {
            shape = sequentialConfig.get("build_input_shape");
        }
        if ((shape == null || shape.isNull()) && first.has("config") && isModelClass(first.path("class_name").asText())) {
            // A nested model as first layer: its own input declares the shape.
            KerasGraph inner = parseModel(first.path("class_name").asText(), c);
            LayerNode innerInput = inner.inputs().isEmpty() ? null : inner.layer(inner.inputs().get(0).layer());
            if (innerInput == null) {
                throw new IllegalArgumentException("the nested model '" + inner.name() + "' declares no input layer");
            }
            return innerInput.config();
        }
        if ((shape == null || shape.isNull()) && c.has("input_dim")) {
            // Keras 1 Dense / Embedding: input_dim without batch_input_shape.
            shape = JsonNodeFactory.instance.arrayNode().addNull().add(c.get("input_dim").asInt());
        }
        if (shape != null && !shape.isNull()) {
            cfg.set("batch_input_shape", shape);
        }
        if (c.has("dtype")) {
            cfg.set("dtype", c.get("dtype"));
        }
        return cfg;
    }

    private static KerasGraph parseFunctional(JsonNode config) {
        String name = config.path("name").asText("model");
        List<LayerNode> nodes = new ArrayList<>();
        for (JsonNode layer : config.path("layers")) {
            String cls = layer.path("class_name").asText();
            List<LayerCall> calls = new ArrayList<>();
            for (JsonNode node : layer.path("inbound_nodes")) {
                calls.add(parseCall(node));
            }
            nodes.add(new LayerNode(cls, layerName(layer), layer.path("config"), calls, nested(cls, layer),
                    text(layer, "module"), text(layer, "registered_name")));
        }
        return new KerasGraph(name, nodes, refs(config.path("input_layers")), refs(config.path("output_layers")));
    }

    private static KerasGraph nested(String className, JsonNode layer) {
        return isModelClass(className) ? parseModel(className, layer.path("config")) : null;
    }

    private static String layerName(JsonNode layer) {
        String n = layer.path("name").asText(null);
        if (n == null || n.isEmpty()) {
            n = layer.path("config").path("name").asText(null);
        }
        if (n == null || n.isEmpty()) {
            throw new IllegalArgumentException("a layer of class " + layer.path("class_name").asText()
                    + " has no name");
        }
        return n;
    }

    /** {@code [["x", 0, 0], ...]}, or a single {@code ["x", 0, 0]} as Keras 3 writes one input or output. */
    private static List<TensorRef> refs(JsonNode list) {
        List<TensorRef> out = new ArrayList<>();
        if (list.isArray() && list.size() > 0 && list.get(0).isTextual()) {
            out.add(ref(list));
            return out;
        }
        for (JsonNode r : list) {
            out.add(ref(r));
        }
        return out;
    }

    private static TensorRef ref(JsonNode r) {
        if (!r.isArray() || r.size() < 1 || !r.get(0).isTextual()) {
            throw new IllegalArgumentException("a tensor reference " + abbreviated(r)
                    + " is not [layer name, node index, tensor index]");
        }
        int node = r.path(1).asInt(0);
        int tensor = r.path(2).asInt(0);
        if (node < 0 || tensor < 0) {
            throw new IllegalArgumentException("the tensor reference " + abbreviated(r) + " has a negative index");
        }
        return new TensorRef(r.get(0).asText(), node, tensor);
    }

    private static String abbreviated(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static LayerCall parseCall(JsonNode node) {
        List<TensorRef> inputs = new ArrayList<>();
        Map<String, TensorRef> keywordTensors = new LinkedHashMap<>();
        if (node.isArray()) {
            JsonNode kwargs = null;
            for (JsonNode entry : node) {
                inputs.add(ref(entry));
                if (entry.size() > 3 && kwargs == null) {
                    kwargs = entry.get(3);
                }
            }
            return new LayerCall(inputs, keywordTensors, legacyKwargs(kwargs, keywordTensors));
        }
        collectTensors(node.path("args"), inputs);
        ObjectNode plain = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.path("kwargs").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (isKerasTensor(e.getValue())) {
                keywordTensors.put(e.getKey(), kerasTensor(e.getValue()));
            } else if (isKerasTensorList(e.getValue())) {
                // A list of tensors, such as an RNN's initial_state: key[0], key[1], ...
                for (int i = 0; i < e.getValue().size(); i++) {
                    keywordTensors.put(e.getKey() + "[" + i + "]", kerasTensor(e.getValue().get(i)));
                }
            } else {
                plain.set(e.getKey(), e.getValue());
            }
        }
        return new LayerCall(inputs, keywordTensors, plain, node.path("args"));
    }

    /**
     * Keras 2 writes a tensor passed by keyword (MultiHeadAttention's {@code value} and {@code key}) as
     * {@code [layer, node, tensor]} in the kwargs of the call's first input: those become keyword tensors, the rest
     * stays plain.
     */
    private static JsonNode legacyKwargs(JsonNode kwargs, Map<String, TensorRef> keywordTensors) {
        if (kwargs == null || !kwargs.isObject()) {
            return kwargs;
        }
        ObjectNode plain = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = kwargs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            boolean tensor = v.isArray() && v.size() == 3 && v.get(0).isTextual() && v.get(1).isInt()
                    && v.get(2).isInt();
            if (tensor) {
                keywordTensors.put(e.getKey(), ref(v));
            } else {
                plain.set(e.getKey(), v);
            }
        }
        return plain;
    }

    private static void collectTensors(JsonNode v, List<TensorRef> out) {
        if (isKerasTensor(v)) {
            out.add(kerasTensor(v));
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                collectTensors(e, out);
            }
        }
    }

    private static boolean isKerasTensor(JsonNode v) {
        return v.isObject() && "__keras_tensor__".equals(v.path("class_name").asText());
    }

    private static boolean isKerasTensorList(JsonNode v) {
        if (!v.isArray() || v.size() == 0) {
            return false;
        }
        for (JsonNode e : v) {
            if (!isKerasTensor(e)) {
                return false;
            }
        }
        return true;
    }

    private static TensorRef kerasTensor(JsonNode v) {
        return ref(v.path("config").path("keras_history"));
    }
}
