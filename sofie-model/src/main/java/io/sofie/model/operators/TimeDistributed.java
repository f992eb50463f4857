package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.ForwardingOperatorCode;
import io.sofie.model.emit.OperatorCode;
import io.sofie.model.emit.SupportMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Another operator applied to every step of a leading time axis: Keras TimeDistributed. Arrays are row-major over
 * {@code [n, T, ...]}, which is exactly {@code [n * T, ...]}, so the inner operator's code runs once with the time
 * axis folded into its batch: no slicing, no copies.
 */
public final class TimeDistributed extends ROperator {
    private final ROperator inner;
    private final int steps;

    public TimeDistributed(ROperator inner, int steps) {
        super(inner.name(), inner.inputs(), inner.outputs());
        if (steps < 1) {
            throw new ModelException("TimeDistributed " + inner.name() + ": " + steps + " time steps");
        }
        this.inner = inner;
        this.steps = steps;
    }

    public ROperator inner() {
        return inner;
    }

    public int steps() {
        return steps;
    }

    @Override
    public String opType() {
        return inner.opType();
    }

    @Override
    public List<String> weights() {
        return inner.weights();
    }

    @Override
    public boolean aliasesInput() {
        return inner.aliasesInput();
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        List<Shape> stepShapes = new ArrayList<>();
        for (Shape s : inputShapes) {
            if (s.rank() < 1 || s.dim(0) != steps) {
                throw new ModelException("TimeDistributed " + name() + ": input " + s + " has no leading time axis of "
                        + steps);
            }
            stepShapes.add(dropTime(s));
        }
        List<Shape> out = new ArrayList<>();
        for (Shape s : inner.inferShapes(stepShapes, weights)) {
            int[] d = new int[s.rank() + 1];
            d[0] = steps;
            System.arraycopy(s.dims(), 0, d, 1, s.rank());
            out.add(Shape.of(d));
        }
        return out;
    }

    private static Shape dropTime(Shape s) {
        return Shape.of(Arrays.copyOfRange(s.dims(), 1, s.rank()));
    }

    @Override
    public void emit(OperatorCode code) {
        inner.emit(new Folded(code, steps));
    }

    @Override
    public String describe() {
        return "TimeDistributed(" + inner.describe() + ")";
    }

    /** The outer operator's context seen per time step: shapes without the time axis, batch times steps. */
    private static final class Folded extends ForwardingOperatorCode {
        private final int steps;

        Folded(OperatorCode outer, int steps) {
            super(outer);
            this.steps = steps;
        }

        @Override
        public Shape inShape(int i) {
            return dropTime(delegate().inShape(i));
        }

        @Override
        public Shape outShape(int i) {
            return dropTime(delegate().outShape(i));
        }

        @Override
        public String batch() {
            return "(" + delegate().batch() + " * " + steps + ")";
        }

        /** Each of the n * steps folded samples keeps its own state. */
        @Override
        public String persistentState(int index, int floatsPerSample) {
            return delegate().persistentState(index, floatsPerSample * steps);
        }
    }
}
