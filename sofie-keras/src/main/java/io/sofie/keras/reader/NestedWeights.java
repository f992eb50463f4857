package io.sofie.keras.reader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a model nested in another. Keras stores them all under the nested model's name, trainable weights
 * of every inner layer first and non-trainable ones after, so each weight is given to the inner layer its path names
 * ({@code inner_seq/dense/kernel}, {@code dense_2/kernel:0}, Keras 1 {@code dense_2_W}); per layer the stored order
 * is kept, which is the layer's own order.
 */
final class NestedWeights implements WeightSource {
    private final Map<String, List<KerasWeight>> byLayer;

    private NestedWeights(Map<String, List<KerasWeight>> byLayer) {
        this.byLayer = byLayer;
    }

    static NestedWeights assign(List<KerasWeight> weights, Set<String> innerLayers) {
        Map<String, List<KerasWeight>> byLayer = new LinkedHashMap<>();
        for (KerasWeight w : weights) {
            String owner = owner(w.name(), innerLayers);
            if (owner == null) {
                throw new IllegalStateException("weight '" + w.name() + "' names none of the nested model's layers "
                        + innerLayers);
            }
            byLayer.computeIfAbsent(owner, k -> new ArrayList<>()).add(w);
        }
        return new NestedWeights(byLayer);
    }

    /** The innermost path segment that is a layer name; for Keras 1 flat names, the longest layer-name prefix. */
    private static String owner(String weightName, Set<String> layers) {
        String[] parts = weightName.split("/");
        for (int i = parts.length - 2; i >= 0; i--) {
            if (layers.contains(parts[i])) {
                return parts[i];
            }
        }
        return layers.stream()
                .filter(l -> weightName.startsWith(l + "_") || weightName.startsWith(l + "/"))
                .max(Comparator.comparingInt(String::length))
                .orElse(null);
    }

    @Override
    public List<KerasWeight> weightsOf(String layerName) {
        return byLayer.getOrDefault(layerName, List.of());
    }

    @Override
    public WeightSource nested(String layerName, Set<String> innerLayers) {
        // Weights were already given to leaf layers at every depth.
        return this;
    }
}
