package io.sofie.keras.reader;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Weights as {@code model.save} (group {@code model_weights}) and {@code save_weights} (the root) write them in HDF5:
 * one group per layer whose {@code weight_names} attribute lists dataset paths relative to that group. The paths are
 * followed exactly, never guessed.
 */
final class H5WeightSource implements WeightSource {
    private final Group root;

    H5WeightSource(Group root) {
        this.root = root;
    }

    @Override
    public List<KerasWeight> weightsOf(String layerName) {
        // Layer names may hold '/', which HDF5 turns into nested groups (TensorFlow name scopes).
        Node layer = root.getChildren().get(layerName);
        if (layer == null && layerName.contains("/")) {
            try {
                layer = root.getByPath(layerName);
            } catch (RuntimeException e) {
                layer = null;
            }
        }
        if (!(layer instanceof Group)) {
            return List.of();
        }
        List<String> names = H5Arrays.stringList(layer, "weight_names");
        List<KerasWeight> weights = new ArrayList<>();
        if (names == null) {
            return weights;
        }
        for (String name : names) {
            Node node = ((Group) layer).getByPath(name);
            if (!(node instanceof Dataset)) {
                throw new IllegalStateException("weight '" + name + "' of layer '" + layerName
                        + "' is listed in weight_names but is not a dataset in the file");
            }
            weights.add(H5Arrays.readWeight(name, (Dataset) node));
        }
        return weights;
    }

    @Override
    public WeightSource nested(String layerName, Set<String> innerLayers) {
        return NestedWeights.assign(weightsOf(layerName), innerLayers);
    }
}
