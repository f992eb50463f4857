package io.sofie.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intermediate representation: input tensors, weights, operators in topological order, and output tensors, with
 * a static per-sample shape for every activation tensor. Immutable; built with {@link Builder}, which infers shapes as
 * operators are added.
 */
public final class RModel {
    private final String name;
    private final ModelOrigin origin;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, Weight> weights;
    private final List<ROperator> operators;
    private final Map<String, Shape> shapes;

    private RModel(Builder b) {
        this.name = b.name;
        this.origin = b.origin;
        this.inputs = List.copyOf(b.inputs);
        List<TensorSpec> outs = new ArrayList<>();
        for (String o : b.outputs) {
            outs.add(new TensorSpec(o, b.shapes.get(o)));
        }
        this.outputs = List.copyOf(outs);
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(b.weights));
        this.operators = List.copyOf(b.operators);
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(b.shapes));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public ModelOrigin origin() {
        return origin;
    }

    public List<TensorSpec> inputs() {
        return inputs;
    }

    public List<TensorSpec> outputs() {
        return outputs;
    }

    public Map<String, Weight> weights() {
        return weights;
    }

    public Weight weight(String name) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new ModelException("no weight named " + name);
        }
        return w;
    }

    public List<ROperator> operators() {
        return operators;
    }

    public Shape shape(String tensor) {
        Shape s = shapes.get(tensor);
        if (s == null) {
            throw new ModelException("no tensor named " + tensor);
        }
        return s;
    }

    /** A builder holding this model's contents, for passes that rewrite operators. */
    public Builder toBuilder() {
        Builder b = new Builder(name).origin(origin);
        for (TensorSpec in : inputs) {
            b.addInput(in.name(), in.shape());
        }
        for (Weight w : weights.values()) {
            b.addWeight(w);
        }
        return b;
    }

    /** Builds an RModel, checking each operator's inputs and inferring its output shapes as it is added. */
    public static final class Builder implements ROperator.WeightLookup {
        private final String name;
        private ModelOrigin origin;
        private final List<TensorSpec> inputs = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private final Map<String, Weight> weights = new LinkedHashMap<>();
        private final List<ROperator> operators = new ArrayList<>();
        private final Map<String, Shape> shapes = new HashMap<>();

        private Builder(String name) {
            this.name = name;
            this.origin = ModelOrigin.handBuilt(name);
        }

        public Builder origin(ModelOrigin origin) {
            this.origin = origin;
            return this;
        }

        public Builder addInput(String tensor, Shape shape) {
            requireNew(tensor);
            inputs.add(new TensorSpec(tensor, shape));
            shapes.put(tensor, shape);
            return this;
        }

        public Builder addWeight(Weight weight) {
            if (weights.containsKey(weight.name())) {
                throw new ModelException("weight " + weight.name() + " is defined twice");
            }
            weights.put(weight.name(), weight);
            return this;
        }

        public Builder addWeight(String name, Shape shape, float[] data) {
            return addWeight(new Weight(name, shape, data));
        }

        /** Adds an operator after all added so far; its inputs must exist already. */
        public Builder addOperator(ROperator op) {
            List<Shape> in = new ArrayList<>();
            for (String t : op.inputs()) {
                in.add(shape(t));
            }
            for (String w : op.weights()) {
                weight(w);
            }
            List<Shape> out = op.inferShapes(in, this);
            if (out.size() != op.outputs().size()) {
                throw new ModelException(op.opType() + " " + op.name() + " inferred " + out.size()
                        + " shapes for " + op.outputs().size() + " outputs");
            }
            for (int i = 0; i < out.size(); i++) {
                String t = op.outputs().get(i);
                requireNew(t);
                shapes.put(t, out.get(i));
            }
            operators.add(op);
            return this;
        }

        public Builder addOutput(String tensor) {
            shape(tensor);
            outputs.add(tensor);
            return this;
        }

        public boolean hasTensor(String tensor) {
            return shapes.containsKey(tensor);
        }

        public boolean hasWeight(String name) {
            return weights.containsKey(name);
        }

        /** {@code base}, or else {@code base_2}, {@code base_3}, ...: the first name no weight has yet. */
        public String freshWeightName(String base) {
            String name = base;
            for (int i = 2; weights.containsKey(name); i++) {
                name = base + "_" + i;
            }
            return name;
        }

        public Shape shape(String tensor) {
            Shape s = shapes.get(tensor);
            if (s == null) {
                throw new ModelException("tensor " + tensor + " is used before it is defined");
            }
            return s;
        }

        @Override
        public Weight weight(String name) {
            Weight w = weights.get(name);
            if (w == null) {
                throw new ModelException("no weight named " + name);
            }
            return w;
        }

        /** Checks that the model is complete: at least one input and one output. */
        public RModel build() {
            if (inputs.isEmpty()) {
                throw new ModelException("model " + name + " has no inputs");
            }
            if (outputs.isEmpty()) {
                throw new ModelException("model " + name + " has no outputs");
            }
            return new RModel(this);
        }

        private void requireNew(String tensor) {
            if (shapes.containsKey(tensor)) {
                throw new ModelException("tensor " + tensor + " is defined twice");
            }
        }
    }
}
