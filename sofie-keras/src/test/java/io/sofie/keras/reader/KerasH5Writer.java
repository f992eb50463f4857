package io.sofie.keras.reader;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a Keras-2-style {@code model.save} HDF5 file for a one-Dense-layer Sequential model with jhdf's writer: the
 * skeleton Keras uses (root {@code keras_version}, {@code backend}, {@code model_config}; {@code model_weights}
 * with {@code layer_names}, one group per layer with {@code weight_names} and the datasets they name). Tests vary
 * the parts real files vary in.
 */
final class KerasH5Writer {
    String layerName = "dense_1";
    String kerasVersion = "2.13.1";
    /** Dataset paths relative to the layer group, as {@code weight_names} lists them. */
    String[] weightNames = {"dense_1/kernel:0", "dense_1/bias:0"};
    /** Kernel (in x units) and bias, as Java arrays of the type to store: float[][]/float[] or double[][]/double[]. */
    Object kernel = new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}};
    Object bias = new float[] {0.5f, -0.5f, 0.25f};
    DatasetCreationOptions options = DatasetCreationOptions.DEFAULT;
    /** Split {@code layer_names} into {@code layer_names0}, {@code layer_names1} as Keras does above 64 KB. */
    boolean chunkedLayerNames;
    /** Add the optimizer state and training config Keras writes when the model was compiled. */
    boolean trainingState;
    /**
     * Write the InputLayer's empty group as Keras does. jhdf 0.13's writer makes an unreadable file when that empty
     * group sits beside a layer group with some names ("1x", "a-b", "abc"), so tests of such names leave it out;
     * the reader treats a missing group as a layer without weights either way.
     */
    boolean inputGroup = true;

    String modelConfig() {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"seq\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"input_1\", "
                + "\"batch_input_shape\": [null, 2], \"dtype\": \"float32\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"" + layerName + "\", \"units\": 3, "
                + "\"activation\": \"linear\", \"use_bias\": true}}]}}";
    }

    Path write(Path file) {
        try (WritableHdfFile f = HdfFile.write(file)) {
            f.putAttribute("keras_version", kerasVersion);
            f.putAttribute("backend", "tensorflow");
            f.putAttribute("model_config", modelConfig());
            if (trainingState) {
                f.putAttribute("training_config", "{\"loss\": \"mse\", \"optimizer_config\": {\"class_name\": "
                        + "\"Adam\", \"config\": {\"learning_rate\": 0.001}}}");
                WritableGroup opt = f.putGroup("optimizer_weights");
                opt.putAttribute("weight_names", new String[] {"Adam/iter:0", "Adam/m/kernel:0"});
                WritableGroup adam = opt.putGroup("Adam");
                adam.putDataset("iter:0", new long[] {7});
                adam.putGroup("m").putDataset("kernel:0", new float[][] {{9f, 9f, 9f}, {9f, 9f, 9f}});
            }
            WritableGroup weights = f.putGroup("model_weights");
            if (chunkedLayerNames) {
                weights.putAttribute("layer_names0", new String[] {"input_1"});
                weights.putAttribute("layer_names1", new String[] {layerName});
            } else {
                weights.putAttribute("layer_names", new String[] {"input_1", layerName});
            }
            if (inputGroup) {
                weights.putGroup("input_1"); // jhdf cannot write the empty weight_names Keras writes here
            }
            WritableGroup layer = weights.putGroup(layerName);
            layer.putAttribute("weight_names", weightNames);
            Object[] values = {kernel, bias};
            for (int i = 0; i < weightNames.length; i++) {
                put(layer, weightNames[i], values[i]);
            }
        }
        return file;
    }

    private void put(WritableGroup layer, String path, Object value) {
        String[] parts = path.split("/");
        WritableGroup g = layer;
        for (String p : Arrays.copyOf(parts, parts.length - 1)) {
            g = g.getChild(p) instanceof WritableGroup ? (WritableGroup) g.getChild(p) : g.putGroup(p);
        }
        g.putDataset(parts[parts.length - 1], value, options);
    }
}
