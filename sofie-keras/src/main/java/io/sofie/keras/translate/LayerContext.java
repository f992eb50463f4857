package io.sofie.keras.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.graph.ConfigParser;
import io.sofie.keras.graph.LayerCall;
import io.sofie.keras.graph.LayerNode;
import io.sofie.keras.reader.KerasWeight;
import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.operators.TimeDistributed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link LayerTranslator} needs for one call of one layer: its config (with typed getters that accept
 * the spellings of several Keras versions), its input tensors and their shapes, its stored weights, and the model
 * being built. Errors it creates name the file and the layer.
 */
public final class LayerContext {
    private final ModelTranslator.Scope scope;
    private final LayerNode layer;
    private final LayerCall call;
    private final int callIndex;
    private final List<String> inputs;
    private final Map<String, String> keywordInputs;
    private final List<KerasWeight> weights;
    private final List<String> outputs = new ArrayList<>();
    /**
     * For a layer inside TimeDistributed: the wrapper's context, whose tensors carry a time axis in front of what
     * this layer sees; else null.
     */
    private final LayerContext stepOf;
    private int tensorCounter;
    private boolean masksHandled;

    LayerContext(ModelTranslator.Scope scope, LayerNode layer, LayerCall call, int callIndex, List<String> inputs,
            Map<String, String> keywordInputs, List<KerasWeight> weights) {
        this.scope = scope;
        this.layer = layer;
        this.call = call;
        this.callIndex = callIndex;
        this.inputs = List.copyOf(inputs);
        this.keywordInputs = Map.copyOf(keywordInputs);
        this.weights = List.copyOf(weights);
        this.stepOf = scope.stepOf();
    }

    /** The context of the layer a TimeDistributed call wraps: same call and weights, time axis hidden. */
    private LayerContext(LayerContext wrapper, LayerNode inner) {
        this.scope = wrapper.scope;
        this.layer = inner;
        this.call = wrapper.call;
        this.callIndex = wrapper.callIndex;
        this.inputs = wrapper.inputs;
        this.keywordInputs = wrapper.keywordInputs;
        this.weights = wrapper.weights;
        this.stepOf = wrapper;
    }

    public String name() {
        return layer.name();
    }

    public String className() {
        return layer.className();
    }

    public JsonNode config() {
        return layer.config();
    }

    public LayerCall call() {
        return call;
    }

    /**
     * The backend recorded in the file ({@code tensorflow}, {@code theano}, ...), or null when the file does not
     * record one (Keras 1 files).
     */
    public String backend() {
        return scope.translator().backend();
    }

    public KerasVersion kerasVersion() {
        return scope.translator().version();
    }

    /** The {@code keras_version} the file records, such as {@code 1.0.8}, or null when it records none. */
    public String kerasVersionString() {
        return scope.translator().versionString();
    }

    // ---- config ------------------------------------------------------------------------------------------------

    /** The first present, non-null value among the given keys (several Keras versions' spellings), or null. */
    public JsonNode param(String... keys) {
        for (String k : keys) {
            JsonNode v = layer.config().get(k);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    public boolean has(String... keys) {
        return param(keys) != null;
    }

    public int intParam(int defaultValue, String... keys) {
        JsonNode v = param(keys);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw badConfig("config '" + keys[0] + "' is " + v + ", not an integer");
        }
        return v.asInt();
    }

    public int requireInt(String... keys) {
        JsonNode v = param(keys);
        if (v == null || !v.isNumber()) {
            throw badConfig("config has no integer '" + keys[0] + "'");
        }
        return v.asInt();
    }

    public float floatParam(float defaultValue, String... keys) {
        JsonNode v = param(keys);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw badConfig("config '" + keys[0] + "' is " + v + ", not a number");
        }
        return (float) v.asDouble();
    }

    public boolean boolParam(boolean defaultValue, String... keys) {
        JsonNode v = param(keys);
        return v == null ? defaultValue : v.asBoolean();
    }

    public String stringParam(String defaultValue, String... keys) {
        JsonNode v = param(keys);
        return v == null ? defaultValue : v.asText();
    }

    /** An int or a list of ints (Keras writes both for axes, sizes and strides); null when absent. */
    public int[] intsParam(String... keys) {
        JsonNode v = param(keys);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw badConfig("config '" + keys[0] + "' is " + v + ", not an integer");
            }
            return new int[] {v.asInt()};
        }
        if (!v.isArray()) {
            throw badConfig("config '" + keys[0] + "' is " + v + ", not an integer or a list of integers");
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isIntegralNumber() || !v.get(i).canConvertToInt()) {
                throw badConfig("config '" + keys[0] + "' is " + v + ", not a list of integers");
            }
            out[i] = v.get(i).asInt();
        }
        return out;
    }

    /**
     * A Keras axis (counted over the full tensor, batch first; negative from the end) as an axis of the per-sample
     * shape of rank {@code rank}; the batch axis is refused with a clear error.
     */
    public int sampleAxis(int kerasAxis, int rank) {
        int full = kerasAxis < 0 ? kerasAxis + rank + 1 : kerasAxis;
        if (full == 0) {
            throw unsupported("axis " + kerasAxis + " (the batch axis)");
        }
        if (full < 0 || full > rank) {
            throw error("axis " + kerasAxis + " is out of range for inputs of rank " + (rank + 1)
                    + " (batch included): the config does not match the model; save the model again");
        }
        return full - 1;
    }

    /** A number from the config as a double (epsilons must not pass through float). */
    public double doubleParam(double defaultValue, String... keys) {
        JsonNode v = param(keys);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw badConfig("config '" + keys[0] + "' is " + v + ", not a number");
        }
        return v.asDouble();
    }

    // ---- inputs --------------------------------------------------------------------------------------------------

    public int inputCount() {
        return inputs.size();
    }

    public String input(int i) {
        if (i >= inputs.size()) {
            throw error("is called with " + inputs.size() + " input(s) but needs at least " + (i + 1)
                    + ": the model config is corrupt; save the model again");
        }
        return inputs.get(i);
    }

    public List<String> inputs() {
        return inputs;
    }

    /**
     * The tensor passed by keyword {@code name} (MultiHeadAttention's {@code key}, an {@code attention_mask}; for a
     * list such as {@code initial_state}, {@code name[0]}, {@code name[1]}, ...), or null when the call passed none.
     */
    public String keywordInput(String name) {
        return keywordInputs.get(name);
    }

    /** The keywords under which this call passed tensors. */
    public Set<String> keywordInputNames() {
        return keywordInputs.keySet();
    }

    public Shape inputShape(int i) {
        return shape(input(i));
    }

    /** The per-sample shape of a tensor built so far (per time step, for the layer inside TimeDistributed). */
    public Shape shape(String tensor) {
        if (stepOf == null) {
            return scope.translator().builder().shape(tensor);
        }
        Shape s = stepOf.shape(tensor);
        return Shape.of(Arrays.copyOfRange(s.dims(), 1, s.rank()));
    }

    /** Requires exactly {@code count} inputs. */
    public void expectInputs(int count) {
        if (inputs.size() != count) {
            throw error("is called with " + inputs.size() + " input(s); it takes " + count
                    + ": the model config does not match this layer; save the model again");
        }
    }

    /**
     * The Keras mask of input {@code i}: a {@code (timesteps)} tensor of 1 (keep) and 0 (masked), or null. A
     * translator that asks handles masks itself and sets its outputs' masks with {@link #outputMask}; otherwise
     * {@link MaskPropagation} decides.
     */
    public String inputMask(int i) {
        masksHandled = true;
        return scope.translator().masks().get(inputs.get(i));
    }

    /** Declares {@code mask} (may be null) the Keras mask of output tensor {@code tensor}. */
    public void outputMask(String tensor, String mask) {
        masksHandled = true;
        if (mask != null) {
            scope.translator().masks().put(tensor, mask);
        }
    }

    boolean masksHandled() {
        return masksHandled;
    }

    // ---- weights -------------------------------------------------------------------------------------------------

    public List<KerasWeight> weights() {
        return weights;
    }

    /**
     * Weight {@code i}, which must have shape {@code expected} (a -1 entry matches any size); the error for a
     * mismatch says the weights do not match the config.
     */
    public KerasWeight weight(int i, int... expected) {
        if (i >= weights.size()) {
            throw error("the file stores " + weights.size() + " weight array(s) for this layer but its config needs "
                    + "at least " + (i + 1) + ": the weights do not match the config; save the model again");
        }
        KerasWeight w = weights.get(i);
        int[] dims = w.shape().dims();
        boolean ok = dims.length == expected.length;
        for (int d = 0; ok && d < dims.length; d++) {
            ok = expected[d] < 0 || expected[d] == dims[d];
        }
        if (!ok) {
            throw error("weight '" + w.name() + "' has shape " + w.shape() + " but the config implies "
                    + Arrays.toString(expected).replace('[', '(').replace(']', ')').replace("-1", "?")
                    + ": the weights do not match the config; save the model again");
        }
        return w;
    }

    /** Requires exactly {@code count} stored weight arrays, naming them in the error. */
    public void expectWeightCount(int count, String what) {
        if (weights.size() != count) {
            throw error("the file stores " + weights.size() + " weight array(s) for this layer but its config needs "
                    + count + " (" + what + "): the weights do not match the config; save the model again");
        }
    }

    /** Registers a constant under this layer's name and returns its IR name; shared by all calls of the layer. */
    public String addWeight(String suffix, Shape shape, float[] data) {
        String name = scope.weightPrefix() + layer.name() + "/" + suffix;
        RModel.Builder b = scope.translator().builder();
        if (!b.hasWeight(name)) {
            b.addWeight(name, shape, data);
        }
        return name;
    }

    /** Registers a stored weight as it is. */
    public String addWeight(String suffix, KerasWeight w) {
        return addWeight(suffix, w.shape(), w.data());
    }

    // ---- building ------------------------------------------------------------------------------------------------

    /** A fresh tensor name belonging to this call. */
    public String tensor(String suffix) {
        return callName() + "/" + suffix + (tensorCounter++ == 0 ? "" : "_" + tensorCounter);
    }

    /** The name output {@code i} of this call should carry: the layer's name for its first call's first output. */
    public String outputName(int i) {
        return callName() + (i == 0 ? "" : ":" + i);
    }

    private String callName() {
        return scope.tensorPrefix() + layer.name() + (callIndex == 0 ? "" : "#" + callIndex);
    }

    public void add(ROperator op) {
        if (stepOf != null) {
            stepOf.add(new TimeDistributed(op, stepOf.shape(stepOf.inputs.get(0)).dim(0)));
            return;
        }
        try {
            scope.translator().builder().addOperator(op);
        } catch (ModelException e) {
            throw error(e.getMessage());
        }
        for (String out : op.outputs()) {
            scope.translator().account(layer.name(), layer.className(), scope.translator().builder().shape(out),
                    "its output shape");
        }
    }

    /**
     * Translates the layer {@code innerSpec} ({@code {"class_name", "config"}}) on every step of this call's single
     * input, whose first axis is time, with this call's weights; returns the inner layer's outputs (time axis kept).
     * The inner layer sees per-step shapes; each operator it adds runs with time folded into the batch.
     */
    public List<String> translateEachStep(JsonNode innerSpec) {
        expectInputs(1);
        Shape in = shape(inputs.get(0));
        if (in.rank() < 2) {
            throw error("needs an input with a time axis and at least one more axis; it is " + in);
        }
        LayerNode inner;
        try {
            inner = ConfigParser.wrappedLayer(innerSpec);
        } catch (IllegalArgumentException e) {
            throw error("its 'layer' config cannot be read: " + e.getMessage());
        }
        if (inner.isModel()) {
            return scope.translateEachStep(this, inner, callIndex, inputs);
        }
        LayerNode named = new LayerNode(inner.className(), layer.name() + "/" + inner.name(), inner.config(),
                List.of(), null, inner.module(), inner.registeredName());
        LayerTranslator t = scope.translator().translators().forClass(inner.className());
        if (t == null || named.isCustom()) {
            throw scope.translator().translators().unsupported(scope.translator().fileName(), named);
        }
        LayerContext step = new LayerContext(this, named);
        t.translate(step);
        if (step.outputs().isEmpty()) {
            throw new IllegalStateException("translator for " + inner.className() + " bound no output");
        }
        return step.outputs();
    }

    /** Binds the call's outputs, in order. */
    public void output(String... tensors) {
        outputs.addAll(Arrays.asList(tensors));
    }

    List<String> outputs() {
        return outputs;
    }

    /** Applies a Keras activation (string or Keras 3 object form) to {@code x}; returns the result tensor. */
    public String activate(String x, JsonNode activation) {
        return KerasActivations.apply(this, x, activation);
    }

    /** An error for a config value that cannot be right: the file is corrupt or from a Keras version not known. */
    public KerasImportException badConfig(String what) {
        return error(what + ": the model config is corrupt or from a Keras version this importer does not know; "
                + "save the model again");
    }

    public KerasImportException error(String reason) {
        return new KerasImportException(scope.translator().fileName(), layer.name(), layer.className(), reason);
    }

    /** An error for a config value this project does not support. */
    public KerasImportException unsupported(String what) {
        return error(what + " is not supported; open an issue with the model attached, or change the layer");
    }
}
