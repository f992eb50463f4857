package io.sofie.keras.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.MemoryBudget;
import io.sofie.keras.graph.ConfigParser;
import io.sofie.keras.graph.KerasGraph;
import io.sofie.keras.graph.LayerCall;
import io.sofie.keras.graph.LayerNode;
import io.sofie.keras.graph.TensorRef;
import io.sofie.keras.reader.KerasModelFile;
import io.sofie.keras.reader.KerasWeight;
import io.sofie.keras.reader.WeightSource;
import io.sofie.model.LayerSummary;
import io.sofie.model.ModelException;
import io.sofie.model.ModelOrigin;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.Activation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a Keras graph from its outputs and translates every layer call it needs, in dependency order, into an
 * RModel. Nested models are inlined: their inputs are bound to the caller's tensors and their weights are looked up
 * under the nested model's name.
 */
public final class ModelTranslator {
    private final KerasModelFile file;
    private final LayerTranslators translators;
    private final KerasVersion version;
    private RModel.Builder builder;
    private final List<LayerSummary> summaries = new ArrayList<>();
    private final Set<String> summarized = new HashSet<>();
    /** Keras masks: tensor -> its (timesteps) mask tensor. */
    private final Map<String, String> masks = new HashMap<>();
    /** Floats of every activation tensor of one sample so far: an upper bound of what the session allocates. */
    private double activationFloats;

    public ModelTranslator(KerasModelFile file, LayerTranslators translators) {
        this.file = file;
        this.translators = translators;
        this.version = KerasVersion.of(file.kerasVersion(), file.modelConfig().toString().contains("\"module\""));
    }

    /** Translates the whole model; every failure is a KerasImportException naming the file and layer. */
    public RModel translate() {
        KerasGraph graph;
        try {
            graph = ConfigParser.parse(file.modelConfig());
        } catch (IllegalArgumentException e) {
            throw KerasImportException.ofFile(file.fileName(), "has a model config this importer cannot read: "
                    + e.getMessage() + "; the file may be corrupt: save the model again");
        }
        builder = RModel.builder(graph.name());
        Scope top = new Scope(graph, file.weights(), "", "");
        for (TensorRef in : graph.inputs()) {
            LayerNode node = top.layer(in);
            String name = node.name();
            builder.addInput(name, inputShape(node));
            top.bind(in, name);
        }
        List<String> outs = new ArrayList<>();
        for (TensorRef out : graph.outputs()) {
            outs.add(top.resolve(out));
        }
        for (int i = 0; i < outs.size(); i++) {
            String tensor = outs.get(i);
            String wanted = graph.outputs().get(i).layer();
            // Outputs carry their layer's name; an aliasing Identity renames at no cost.
            if (!tensor.equals(wanted) && !builder.hasTensor(wanted)) {
                builder.addOperator(new Unary(wanted, tensor, wanted, Activation.IDENTITY));
                tensor = wanted;
            }
            builder.addOutput(tensor);
        }
        builder.origin(new ModelOrigin(file.fileName(), file.format(), producer(), summaries));
        try {
            return builder.build();
        } catch (ModelException e) {
            throw KerasImportException.ofFile(file.fileName(), e.getMessage());
        }
    }

    private String producer() {
        StringBuilder sb = new StringBuilder();
        sb.append(file.kerasVersion() == null ? "Keras version not recorded" : "Keras " + file.kerasVersion());
        if (file.backend() != null) {
            sb.append(", backend ").append(file.backend());
        }
        return sb.toString();
    }

    private Shape inputShape(LayerNode node) {
        JsonNode c = node.config();
        JsonNode shape = c.get("batch_shape");
        if (shape == null || shape.isNull()) {
            shape = c.get("batch_input_shape");
        }
        if (shape == null || !shape.isArray() || shape.size() < 1) {
            throw new KerasImportException(file.fileName(), node.name(), node.className(),
                    "declares no input shape: build the model with an explicit Input(shape=...) before saving");
        }
        int[] dims = new int[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            if (!shape.get(i).isNumber()) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "has an unknown dimension in its shape " + shape + ": generated code needs static shapes; "
                                + "build the model with a fixed Input(shape=...) and save it again");
            }
            if (!shape.get(i).isIntegralNumber() || !shape.get(i).canConvertToInt() || shape.get(i).asInt() < 1) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "declares the shape " + shape + ", whose dimension " + shape.get(i) + " is not a positive "
                                + "integer: the model config is corrupt; save the model again");
            }
            dims[i - 1] = shape.get(i).asInt();
        }
        Shape s = Shape.of(dims);
        account(node.name(), node.className(), s, "its input shape");
        return s;
    }

    /**
     * Adds a tensor of {@code shape} to the activations of one sample and refuses the model, naming the layer, once
     * they would need more than {@link MemoryBudget} allows: checked as shapes are inferred, before any buffer
     * exists.
     */
    void account(String layerName, String layerClass, Shape shape, String what) {
        activationFloats += MemoryBudget.elements(shape.dims());
        double bytes = activationFloats * Float.BYTES;
        if (!MemoryBudget.fits(bytes)) {
            throw new KerasImportException(file.fileName(), layerName, layerClass, what + " " + shape
                    + " brings the activations of a single sample to " + MemoryBudget.megabytes(bytes)
                    + "; generated code could not allocate them: " + MemoryBudget.limitAdvice());
        }
    }

    KerasVersion version() {
        return version;
    }

    String versionString() {
        return file.kerasVersion();
    }

    LayerTranslators translators() {
        return translators;
    }

    RModel.Builder builder() {
        return builder;
    }

    Map<String, String> masks() {
        return masks;
    }

    String fileName() {
        return file.fileName();
    }

    /** The backend the file says it was written with, or null when it does not say (Keras 1). */
    String backend() {
        return file.backend();
    }

    /** One (possibly nested) model's layers, weights and the tensors its refs are bound to. */
    final class Scope {
        private final KerasGraph graph;
        private final WeightSource weights;
        private final String weightPrefix;
        private final String tensorPrefix;
        private final Map<TensorRef, String> bound = new HashMap<>();
        private final Set<String> inProgress = new HashSet<>();
        /** For a model wrapped by TimeDistributed: the wrapper's call, whose time axis every layer here steps over. */
        private final LayerContext stepOf;

        Scope(KerasGraph graph, WeightSource weights, String weightPrefix, String tensorPrefix) {
            this(graph, weights, weightPrefix, tensorPrefix, null);
        }

        private Scope(KerasGraph graph, WeightSource weights, String weightPrefix, String tensorPrefix,
                LayerContext stepOf) {
            this.graph = graph;
            this.weights = weights;
            this.weightPrefix = weightPrefix;
            this.tensorPrefix = tensorPrefix;
            this.stepOf = stepOf;
        }

        LayerContext stepOf() {
            return stepOf;
        }

        ModelTranslator translator() {
            return ModelTranslator.this;
        }

        String weightPrefix() {
            return weightPrefix;
        }

        String tensorPrefix() {
            return tensorPrefix;
        }

        void bind(TensorRef ref, String tensor) {
            bound.put(ref, tensor);
        }

        LayerNode layer(TensorRef ref) {
            LayerNode node = graph.layer(ref.layer());
            if (node == null) {
                throw KerasImportException.ofFile(file.fileName(), "the model config refers to a layer '"
                        + ref.layer() + "' it does not define: the file is corrupt; save the model again");
            }
            return node;
        }

        /** The IR tensor for a ref, translating the call that produces it first if needed. */
        String resolve(TensorRef ref) {
            String t = bound.get(ref);
            if (t != null) {
                return t;
            }
            LayerNode node = layer(ref);
            if (ref.nodeIndex() >= node.calls().size()) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "is used as call " + ref.nodeIndex() + " but the config records " + node.calls().size()
                                + " call(s): the file is corrupt; save the model again");
            }
            String key = node.name() + "#" + ref.nodeIndex();
            if (!inProgress.add(key)) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "takes its own output as input: the model config has a cycle");
            }
            translateCall(node, ref.nodeIndex());
            t = bound.get(ref);
            if (t == null) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "has no output " + ref.tensorIndex() + " (used by the model config): the file is corrupt; "
                                + "save the model again");
            }
            return t;
        }

        private void translateCall(LayerNode node, int callIndex) {
            LayerCall call = node.calls().get(callIndex);
            if (call.inputs().isEmpty() && call.keywordTensors().isEmpty()) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "is called with no input tensor: the model config is corrupt; save the model again");
            }
            List<String> inputs = new ArrayList<>();
            for (TensorRef in : call.inputs()) {
                inputs.add(resolve(in));
            }
            Map<String, String> keywordInputs = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> in : call.keywordTensors().entrySet()) {
                keywordInputs.put(in.getKey(), resolve(in.getValue()));
            }
            List<String> outputs = node.isModel()
                    ? translateNested(node, callIndex, inputs)
                    : translateLayer(node, call, callIndex, inputs, keywordInputs);
            for (int i = 0; i < outputs.size(); i++) {
                bind(new TensorRef(node.name(), callIndex, i), outputs.get(i));
            }
        }

        private List<String> translateLayer(LayerNode node, LayerCall call, int callIndex, List<String> inputs,
                Map<String, String> keywordInputs) {
            LayerTranslator t = translators.forClass(node.className());
            if (t == null || node.isCustom()) {
                throw translators.unsupported(file.fileName(), node);
            }
            List<KerasWeight> w;
            try {
                w = weights.weightsOf(node.name());
            } catch (RuntimeException e) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "its weights cannot be read: " + e.getMessage(), e);
            }
            LayerContext ctx = new LayerContext(this, node, call, callIndex, inputs, keywordInputs, w);
            try {
                t.translate(ctx);
            } catch (ModelException e) {
                throw ctx.error(e.getMessage());
            }
            if (ctx.outputs().isEmpty()) {
                throw new IllegalStateException("translator for " + node.className() + " bound no output");
            }
            if (!ctx.masksHandled()) {
                MaskPropagation.apply(ctx, masks);
            }
            String path = weightPrefix + node.name();
            if (summarized.add(path)) {
                long params = 0;
                for (KerasWeight kw : w) {
                    params += kw.data().length;
                }
                summaries.add(new LayerSummary(path, node.className(), params,
                        builder.shape(ctx.outputs().get(0)).toString()));
            }
            return ctx.outputs();
        }

        private List<String> translateNested(LayerNode node, int callIndex, List<String> inputs) {
            KerasGraph inner = node.nestedModel();
            WeightSource innerWeights;
            try {
                innerWeights = weights.nested(node.name(), inner.leafLayerNames());
            } catch (RuntimeException e) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "the weights of this nested model cannot be matched to its layers: " + e.getMessage(), e);
            }
            String prefix = tensorPrefix + node.name() + (callIndex == 0 ? "" : "#" + callIndex) + "/";
            Scope scope = new Scope(inner, innerWeights, weightPrefix + node.name() + "/", prefix, stepOf);
            return bindAndResolve(scope, node, inputs);
        }

        /**
         * Translates the model {@code inner} that the TimeDistributed call {@code wrapper} holds, on its input, every
         * layer stepping over the wrapper's time axis; its weights are the wrapper's.
         */
        List<String> translateEachStep(LayerContext wrapper, LayerNode inner, int callIndex, List<String> inputs) {
            WeightSource innerWeights;
            try {
                innerWeights = weights.nested(wrapper.name(), inner.nestedModel().leafLayerNames());
            } catch (RuntimeException e) {
                throw wrapper.error("the weights of its wrapped model cannot be matched to that model's layers: "
                        + e.getMessage());
            }
            String prefix = tensorPrefix + wrapper.name() + (callIndex == 0 ? "" : "#" + callIndex) + "/";
            Scope scope = new Scope(inner.nestedModel(), innerWeights, weightPrefix + wrapper.name() + "/", prefix,
                    wrapper);
            return bindAndResolve(scope, inner, inputs);
        }

        private List<String> bindAndResolve(Scope scope, LayerNode node, List<String> inputs) {
            KerasGraph inner = node.nestedModel();
            if (inner.inputs().size() != inputs.size()) {
                throw new KerasImportException(file.fileName(), node.name(), node.className(),
                        "is called with " + inputs.size() + " input(s) but has " + inner.inputs().size());
            }
            for (int i = 0; i < inputs.size(); i++) {
                scope.bind(inner.inputs().get(i), inputs.get(i));
            }
            List<String> outs = new ArrayList<>();
            for (TensorRef out : inner.outputs()) {
                outs.add(scope.resolve(out));
            }
            return outs;
        }
    }
}
