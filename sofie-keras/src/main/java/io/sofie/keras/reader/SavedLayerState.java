package io.sofie.keras.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer's group in a Keras 3 weights file read back as the layer's weights in the order of {@code layer.weights}:
 * its own variables ({@code vars/0}, {@code vars/1}, ...) then, depth first, those of its sub-layers in the order
 * the layer tracks them. The file stores sub-layers under the attribute holding them, sorted by name
 * ({@code backward_layer} before {@code forward_layer}); {@link #TRACKING_ORDER} restores the order in which the
 * built-in wrappers create them, and list attributes ({@code cell/cells/lstm_cell}) follow the list in the layer's
 * config. For built-in layers this is also the order of the legacy HDF5 {@code weight_names} (trainable weights
 * first), since none of their sub-layers mixes trainable and non-trainable weights.
 */
final class SavedLayerState {
    /** Sub-layer attributes in the order Keras layers create (and so track) them; others follow, as stored. */
    static final List<String> TRACKING_ORDER = List.of(
            "forward_layer", "backward_layer",                          // Bidirectional
            "layer",                                                    // TimeDistributed and other wrappers
            "cell", "cells",                                            // RNN, StackedRNNCells
            "query_dense", "key_dense", "value_dense", "output_dense"); // MultiHeadAttention, GroupedQueryAttention

    private SavedLayerState() {
    }

    /** The weights stored under {@code layerGroup}; {@code config} is the layer's config object, or null. */
    static List<KerasWeight> weights(Group layerGroup, JsonNode config) {
        List<KerasWeight> out = new ArrayList<>();
        collect(layerGroup, config, out);
        return out;
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
