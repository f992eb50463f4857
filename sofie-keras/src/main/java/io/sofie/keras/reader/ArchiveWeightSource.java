package io.sofie.keras.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>{@link #weightsOf} gives the layer's own variables then its sub-layers' in Keras's tracking order (the order of
 * {@code layer.weights}), which for the built-in layers is the order of the legacy HDF5 {@code weight_names}. The
 * file stores sub-layers by attribute name, sorted; {@link #TRACKING_ORDER} restores the order in which the wrapper
 * layers create them.
 */
final class ArchiveWeightSource implements WeightSource {
    /** Sub-layer attributes in the order Keras layers create (and so track) them; others follow, as stored. */
    static final List<String> TRACKING_ORDER = List.of(
            "forward_layer", "backward_layer",                          // Bidirectional
            "layer",                                                    // TimeDistributed and other wrappers
            "cell", "cells",                                            // RNN, StackedRNNCells
            "query_dense", "key_dense", "value_dense", "output_dense"); // MultiHeadAttention, GroupedQueryAttention

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
        List<KerasWeight> out = new ArrayList<>();
        collect(s.group, s.entry.path("config"), out);
        return out;
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

    /** The variables of one saved object: its own ({@code vars/0, vars/1, ...}), then its sub-layers'. */
    private static void collect(Group object, JsonNode config, List<KerasWeight> out) {
        Node vars = object.getChild("vars");
        if (vars instanceof Group) {
            List<Dataset> own = new ArrayList<>();
            for (Node n : ((Group) vars).getChildren().values()) {
                if (n instanceof Dataset) {
                    own.add((Dataset) n);
                }
            }
            own.sort(Comparator.comparingLong(d -> variableIndex(d.getName())));
            for (Dataset d : own) {
                out.add(H5Arrays.readWeight(d.getPath().substring(1), d));
            }
        }
        List<Group> subs = new ArrayList<>();
        for (Node n : object.getChildren().values()) {
            if (n instanceof Group && !n.getName().equals("vars")) {
                subs.add((Group) n);
            }
        }
        subs.sort(Comparator.comparingInt(g -> trackingRank(g.getName())));
        for (Group sub : subs) {
            JsonNode subConfig = subConfig(config, sub.getName());
            if (sub.getChild("vars") instanceof Group) {
                collect(sub, subConfig == null ? null : subConfig.path("config"), out);
            } else {
                collectList(sub, subConfig, out);
            }
        }
    }

    /** A list attribute (no {@code vars} of its own): its items in list order, named as {@link KerasNaming} says. */
    private static void collectList(Group list, JsonNode listConfig, List<KerasWeight> out) {
        Map<String, JsonNode> itemConfig = new HashMap<>();
        Map<String, Integer> position = new HashMap<>();
        if (listConfig != null && listConfig.isArray()) {
            List<String> classes = new ArrayList<>();
            for (JsonNode item : listConfig) {
                classes.add(item.path("class_name").asText());
            }
            List<String> names = KerasNaming.containerNames(classes);
            for (int i = 0; i < names.size(); i++) {
                position.put(names.get(i), i);
                itemConfig.put(names.get(i), listConfig.get(i).path("config"));
            }
        }
        List<Group> items = new ArrayList<>();
        for (Node n : list.getChildren().values()) {
            if (n instanceof Group) {
                items.add((Group) n);
            }
        }
        // Without a config list, items of one class still sort by their _N suffix.
        items.sort(Comparator.comparingInt((Group g) -> position.getOrDefault(g.getName(), Integer.MAX_VALUE))
                .thenComparing(g -> baseName(g.getName()))
                .thenComparingLong(g -> suffix(g.getName())));
        for (Group item : items) {
            if (item.getChild("vars") instanceof Group) {
                collect(item, itemConfig.get(item.getName()), out);
            } else {
                collectList(item, null, out);
            }
        }
    }

    /** The config of the sub-layer stored under {@code attribute}, when the layer's config records it. */
    private static JsonNode subConfig(JsonNode config, String attribute) {
        if (config == null) {
            return null;
        }
        String key = attribute.startsWith("_") ? attribute.substring(1) : attribute;
        if (key.equals("forward_layer")) {
            key = "layer"; // Bidirectional records its forward layer as "layer"
        }
        JsonNode sub = config.get(key);
        return sub == null || sub.isNull() ? null : sub;
    }

    private static int trackingRank(String attribute) {
        String key = attribute.startsWith("_") ? attribute.substring(1) : attribute;
        int i = TRACKING_ORDER.indexOf(key);
        return i < 0 ? TRACKING_ORDER.size() : i;
    }

    private static long variableIndex(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // a custom layer's named variables follow the numbered ones
        }
    }

    private static String baseName(String groupName) {
        int u = groupName.lastIndexOf('_');
        return u > 0 && suffix(groupName) > 0 ? groupName.substring(0, u) : groupName;
    }

    private static long suffix(String groupName) {
        int u = groupName.lastIndexOf('_');
        if (u < 0) {
            return 0;
        }
        try {
            return Long.parseLong(groupName.substring(u + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
