package io.sofie.keras.reader;

import java.util.List;
import java.util.Set;

/**
 * A {@link WeightSource} whose failures inside jhdf (a damaged group, attribute or dataset met only when a layer's
 * weights are read) become one message saying the file is damaged and what to do.
 */
final class CheckedWeightSource implements WeightSource {
    private final WeightSource source;

    private CheckedWeightSource(WeightSource source) {
        this.source = source;
    }

    static WeightSource of(WeightSource source) {
        return source instanceof CheckedWeightSource ? source : new CheckedWeightSource(source);
    }

    @Override
    public List<KerasWeight> weightsOf(String layerName) {
        try {
            return source.weightsOf(layerName);
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    @Override
    public WeightSource nested(String layerName, Set<String> innerLayers) {
        try {
            return of(source.nested(layerName, innerLayers));
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    private static RuntimeException translated(RuntimeException e) {
        if (Hdf5Files.isJhdfFailure(e)) {
            return new IllegalStateException(Hdf5Files.damaged("the file ", e), e);
        }
        return e;
    }
}
