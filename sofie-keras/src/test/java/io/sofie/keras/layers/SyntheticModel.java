package io.sofie.keras.layers;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a minimal Keras-style HDF5 model file (model_config, keras_version, model_weights) for translation tests of
 * layers the Keras fixtures do not cover. It carries no reference outputs: tests built on it check the IR a config
 * becomes, never numbers claimed to be Keras's.
 */
final class SyntheticModel {
    private final String kerasVersion;
    private final String config;
    private final Map<String, Map<String, Object>> weights = new LinkedHashMap<>();

    SyntheticModel(String kerasVersion, String config) {
        this.kerasVersion = kerasVersion;
        this.config = config;
    }

    /** Adds one layer's weights, in the layer's order, as datasets named {@code layer/name}. */
    SyntheticModel weights(String layer, Map<String, float[]> named) {
        Map<String, Object> paths = new LinkedHashMap<>();
        named.forEach((k, v) -> paths.put(layer + "/" + k, v));
        weights.put(layer, paths);
        return this;
    }

    /**
     * Adds the weights stored under top-level layer {@code layer} (a nested model holds all of its layers'), in
     * order, at paths relative to the layer's group as listed in {@code weight_names}; data is float[] or float[][].
     */
    SyntheticModel weightPaths(String layer, Map<String, Object> byPath) {
        weights.put(layer, byPath);
        return this;
    }

    Path write(Path dir) {
        Path file = dir.resolve("model.h5");
        try (WritableHdfFile h = HdfFile.write(file)) {
            h.putAttribute("model_config", config.replace('\'', '"'));
            h.putAttribute("keras_version", kerasVersion);
            h.putAttribute("backend", "tensorflow");
            WritableGroup mw = h.putGroup("model_weights");
            List<String> layers = new ArrayList<>(weights.keySet());
            mw.putAttribute("layer_names", layers.isEmpty() ? new String[] {"none"} : layers.toArray(new String[0]));
            for (Map.Entry<String, Map<String, Object>> e : weights.entrySet()) {
                WritableGroup g = mw.putGroup(e.getKey());
                for (Map.Entry<String, Object> w : e.getValue().entrySet()) {
                    String[] parts = w.getKey().split("/");
                    WritableGroup at = g;
                    for (int i = 0; i < parts.length - 1; i++) {
                        Object child = at.getChildren().get(parts[i]);
                        at = child instanceof WritableGroup ? (WritableGroup) child : at.putGroup(parts[i]);
                    }
                    at.putDataset(parts[parts.length - 1], w.getValue());
                }
                g.putAttribute("weight_names", e.getValue().keySet().toArray(new String[0]));
            }
        }
        if (!Files.exists(file)) {
            throw new UncheckedIOException(new IOException("not written: " + file));
        }
        return file;
    }
}
