package io.sofie.keras.reader;

import java.util.List;
import java.util.Set;

/** The stored weights of a model's layers, in each layer's own weight order. */
public interface WeightSource {
    /** The weights of the named layer; empty for layers without weights. */
    List<KerasWeight> weightsOf(String layerName);

    /**
     * The source for a model nested in this one under {@code layerName}, whose own layers (at any depth) are
     * {@code innerLayers}.
     */
    WeightSource nested(String layerName, Set<String> innerLayers);
}
