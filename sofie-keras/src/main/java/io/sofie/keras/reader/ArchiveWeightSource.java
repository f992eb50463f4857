package io.sofie.keras.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weights of a Keras 3 archive ({@code .keras}): the {@code model.weights.h5} inside holds one group per saved
 * object, {@code layers/<snake_case class>[_N]/vars/<i>} for the layers of a model in {@code model.layers} order,
 * a nested model's layers under its own group ({@code layers/functional/layers/...}), and a layer's sub-layers under
 * the attribute that holds them ({@code bidirectional/forward_layer/cell/vars/0}, {@code time_distributed/layer},
 * {@code multi_head_attention/query_dense}, lists such as {@code rnn/cell/cells/lstm_cell}).
 *
 * <p>A layer's group is found by the {@code name} attribute Keras 3.6+ writes on every {@code vars} group; files
 * without it are mapped the way Keras itself reloads them: by class name and position among {@code model.layers},
 * that is the config's layers without raw ops ({@code keras.src.ops}) and, for Sequential, without the InputLayer.
 *
 * <p>{@link #weightsOf} gives a layer's weights in the order of {@code layer.weights}, as {@link SavedLayerState}
 * reads them.
 */
final class ArchiveWeightSource implements WeightSource {
    private final String where;
    private final Map<String, Stored> layers;

    /** One layer of the model: its config entry and its group, or no group for layers the file does not hold. */
    private static final class Stored {
        final JsonNode entry;
        final Group group;

        Stored(JsonNode entry, Group group) {
            this.entry = entry;
            this.group = group;
        }
    }

    private ArchiveWeightSource(String where, Map<String, Stored> layers) {
        this.where = where;
        this.layers = layers;
    }

    /**
     * The weights of a model whose state group is {@code modelGroup} (the file root for the top-level model) and
     * whose config entry is {@code modelEntry} ({@code {"class_name": "Functional", "config": {"layers": ...}}}).
     */
    static ArchiveWeightSource forModel(Group modelGroup, JsonNode modelEntry) {
        return forModel(modelGroup, modelEntry, nameAttributesPresent(modelGroup));
    }

    /** As {@link #forModel(Group, JsonNode)}, mapping by name attributes or, if {@code byName} is false, by class. */
    static ArchiveWeightSource forModel(Group modelGroup, JsonNode modelEntry, boolean byName) {
        Node layersNode = modelGroup.getChild("layers");
        Group layersGroup = layersNode instanceof Group ? (Group) layersNode : null;
        List<JsonNode> saved = savedLayers(modelEntry);
        Map<String, Group> groupByName = new HashMap<>();
        if (layersGroup != null) {
            if (byName) {
                for (Node child : layersGroup.getChildren().values()) {
                    String n = child instanceof Group ? varsName((Group) child) : null;
                    if (n != null) {
                        groupByName.put(n, (Group) child);
                    }
                }
            } else {
                List<String> classes = new ArrayList<>();
                for (JsonNode e : saved) {
                    classes.add(e.path("class_name").asText());
                }
                List<String> groupNames = KerasNaming.containerNames(classes);
                for (int i = 0; i < saved.size(); i++) {
                    Node g = layersGroup.getChild(groupNames.get(i));
                    if (g instanceof Group) {
                        groupByName.put(layerName(saved.get(i)), (Group) g);
                    }
                }
            }
        }
        Map<String, Stored> layers = new LinkedHashMap<>();
        for (JsonNode e : modelEntry.path("config").path("layers")) {
            String n = layerName(e);
            layers.put(n, new Stored(e, groupByName.get(n)));
        }
        String where = layersGroup == null ? modelGroup.getPath() : layersGroup.getPath();
        return new ArchiveWeightSource(where, layers);
    }

    /** The layers Keras saves under {@code layers/}, in {@code model.layers} order. */
    private static List<JsonNode> savedLayers(JsonNode modelEntry) {
        boolean sequential = "Sequential".equals(modelEntry.path("class_name").asText());
        List<JsonNode> saved = new ArrayList<>();
        for (JsonNode e : modelEntry.path("config").path("layers")) {
            if (isOperation(e) || (sequential && "InputLayer".equals(e.path("class_name").asText()))) {
                continue;
            }
            saved.add(e);
        }
        return saved;
    }

    /** Raw ops in a functional config ({@code NotEqual}, {@code Any}, ...) are operations, not layers. */
    private static boolean isOperation(JsonNode entry) {
        String module = entry.path("module").asText("");
        return module.startsWith("keras.src.ops") || module.startsWith("keras.ops");
    }

    private static String layerName(JsonNode entry) {
        JsonNode n = entry.path("config").get("name");
        return n != null && n.isTextual() ? n.asText() : entry.path("name").asText();
    }

    private static boolean nameAttributesPresent(Group modelGroup) {
        Node layersNode = modelGroup.getChild("layers");
        if (!(layersNode instanceof Group)) {
            return false;
        }
        for (Node child : ((Group) layersNode).getChildren().values()) {
            if (child instanceof Group && varsName((Group) child) != null) {
                return true;
            }
        }
        return false;
    }

    private static String varsName(Group objectGroup) {
        Node vars = objectGroup.getChild("vars");
        if (!(vars instanceof Group)) {
            return null;
        }
        Attribute a = vars.getAttribute("name");
        return a == null || a.isEmpty() ? null : H5Arrays.string(vars, "name");
    }

    @Override
    public List<KerasWeight> weightsOf(String layerName) {
        Stored s = layers.get(layerName);
        if (s == null || isOperation(s.entry)) {
            return List.of();
        }
        if (s.group == null) {
            if ("InputLayer".equals(s.entry.path("class_name").asText())) {
                return List.of();
            }
            throw new IllegalStateException("model.weights.h5 has no group for this layer under " + where
                    + "; the archive is incomplete: save the model again with model.save('name.keras')");
        }
        return SavedLayerState.weights(s.group, s.entry.path("config"));
    }

    @Override
    public WeightSource nested(String layerName, Set<String> innerLayers) {
        Stored s = layers.get(layerName);
        if (s == null || s.group == null) {
            throw new IllegalStateException("model.weights.h5 has no group for nested model '" + layerName
                    + "' under " + where);
        }
        return forModel(s.group, s.entry);
    }
}
