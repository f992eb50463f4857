package io.sofie.keras.translate;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.graph.LayerNode;
import io.sofie.keras.layers.ActivationLayers;
import io.sofie.keras.layers.AttentionLayers;
import io.sofie.keras.layers.BidirectionalLayer;
import io.sofie.keras.layers.ConvLSTMLayers;
import io.sofie.keras.layers.ConvTransposeLayers;
import io.sofie.keras.layers.ConvolutionLayers;
import io.sofie.keras.layers.DenseLayer;
import io.sofie.keras.layers.DepthwiseSeparableLayers;
import io.sofie.keras.layers.DotLayer;
import io.sofie.keras.layers.EinsumDenseLayer;
import io.sofie.keras.layers.EmbeddingLayer;
import io.sofie.keras.layers.GlobalPoolingLayers;
import io.sofie.keras.layers.InferenceIdentityLayers;
import io.sofie.keras.layers.LocallyConnectedLayers;
import io.sofie.keras.layers.MaskOpLayers;
import io.sofie.keras.layers.MaskingLayer;
import io.sofie.keras.layers.MergeLayers;
import io.sofie.keras.layers.MultiHeadAttentionLayer;
import io.sofie.keras.layers.NormalizationLayers;
import io.sofie.keras.layers.PReluLayer;
import io.sofie.keras.layers.PaddingCroppingLayers;
import io.sofie.keras.layers.PoolingLayers;
import io.sofie.keras.layers.RecurrentLayers;
import io.sofie.keras.layers.ReshapingLayers;
import io.sofie.keras.layers.SoftmaxLayer;
import io.sofie.keras.layers.TimeDistributedLayer;
import io.sofie.keras.layers.UpSamplingLayers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The layer classes this importer supports, each with the translator that owns it. */
public final class LayerTranslators {
    private final Map<String, LayerTranslator> byClass = new TreeMap<>();

    private LayerTranslators(List<LayerTranslator> translators) {
        for (LayerTranslator t : translators) {
            for (String cls : t.classNames()) {
                if (byClass.put(cls, t) != null) {
                    throw new IllegalStateException("two translators claim " + cls);
                }
            }
        }
    }

    /** Every supported layer. */
    public static LayerTranslators standard() {
        return new LayerTranslators(List.of(
                new ActivationLayers(),
                new AttentionLayers(),
                new BidirectionalLayer(),
                new ConvLSTMLayers(),
                new ConvTransposeLayers(),
                new ConvolutionLayers(),
                new DenseLayer(),
                new DepthwiseSeparableLayers(),
                new DotLayer(),
                new EinsumDenseLayer(),
                new EmbeddingLayer(),
                new GlobalPoolingLayers(),
                new InferenceIdentityLayers(),
                new LocallyConnectedLayers(),
                new MaskOpLayers(),
                new MaskingLayer(),
                new MergeLayers(),
                new MultiHeadAttentionLayer(),
                new NormalizationLayers(),
                new PReluLayer(),
                new PaddingCroppingLayers(),
                new PoolingLayers(),
                new RecurrentLayers(),
                new ReshapingLayers(),
                new SoftmaxLayer(),
                new TimeDistributedLayer(),
                new UpSamplingLayers()));
    }

    public LayerTranslator forClass(String className) {
        return byClass.get(className);
    }

    /** Supported Keras class names, sorted (InputLayer and nested models are handled by the graph walk). */
    public Set<String> supportedClasses() {
        Set<String> all = new TreeSet<>(byClass.keySet());
        all.add("InputLayer");
        all.add("Sequential");
        all.add("Functional");
        all.add("Model");
        return all;
    }

    KerasImportException unsupported(String file, LayerNode node) {
        String cls = node.className();
        String reason;
        if (cls.isEmpty()) {
            return new KerasImportException(file, node.name(), cls, "has no class_name in the model config: the "
                    + "file is corrupt; save the model again");
        }
        if ("Lambda".equals(cls)) {
            // Only the class name is looked at: the layer's 'function' (encoded Python bytecode) is never read.
            reason = "is a Lambda layer, which holds Python code; that code is never run or decoded here, so the "
                    + "layer cannot be translated: replace the Lambda with built-in layers (for example Activation, "
                    + "Reshape, Multiply) and save the model again";
        } else if (node.isCustom()) {
            reason = "is a custom layer (class " + cls + (node.module() == null ? "" : " from Python module '"
                    + node.module() + "'") + (node.registeredName() == null ? "" : ", registered as '"
                    + node.registeredName() + "'") + "): its Python code is not in the file, so it cannot be "
                    + "translated; rebuild the model from built-in Keras layers. Supported classes: "
                    + String.join(", ", supportedClasses());
        } else {
            reason = "layer class " + cls + " is not supported (a custom layer's Python code is not in the file, "
                    + "and this built-in layer has no translator yet): rebuild the model from supported layers. "
                    + "Supported classes: " + String.join(", ", supportedClasses());
        }
        return new KerasImportException(file, node.name(), cls, reason).asUnsupportedLayer();
    }
}
