package io.sofie.model.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import io.sofie.model.Shape;

/**
 * An {@link OperatorCode} that passes every call to another one. Operators that emit another operator's code under
 * a changed view (TimeDistributed folds time into the batch, Einsum presents itself as a matrix product) override
 * only what their view changes.
 */
public abstract class ForwardingOperatorCode implements OperatorCode {
    private final OperatorCode delegate;

    protected ForwardingOperatorCode(OperatorCode delegate) {
        this.delegate = delegate;
    }

    protected final OperatorCode delegate() {
        return delegate;
    }

    @Override
    public String in(int i) {
        return delegate.in(i);
    }

    @Override
    public String out(int i) {
        return delegate.out(i);
    }

    @Override
    public Shape inShape(int i) {
        return delegate.inShape(i);
    }

    @Override
    public Shape outShape(int i) {
        return delegate.outShape(i);
    }

    @Override
    public String batch() {
        return delegate.batch();
    }

    @Override
    public CodeBlock weight(String name) {
        return delegate.weight(name);
    }

    @Override
    public Shape weightShape(String name) {
        return delegate.weightShape(name);
    }

    @Override
    public float[] weightData(String name) {
        return delegate.weightData(name);
    }

    @Override
    public CodeBlock constant(String key, float[] data) {
        return delegate.constant(key, data);
    }

    @Override
    public CodeBlock constantRows(String key, float[] data, int rowLength) {
        return delegate.constantRows(key, data, rowLength);
    }

    @Override
    public String scratch(int index, int floats) {
        return delegate.scratch(index, floats);
    }

    @Override
    public String zeros(int floats) {
        return delegate.zeros(floats);
    }

    @Override
    public String indexScratch(int index, int ints) {
        return delegate.indexScratch(index, ints);
    }

    @Override
    public String scratchRows(int index, int rows, int rowLength) {
        return delegate.scratchRows(index, rows, rowLength);
    }

    @Override
    public String persistentState(int index, int floatsPerSample) {
        return delegate.persistentState(index, floatsPerSample);
    }

    @Override
    public void require(SupportMethod method) {
        delegate.require(method);
    }

    @Override
    public String helper(MethodSpec method) {
        return delegate.helper(method);
    }

    @Override
    public CodeBlock.Builder body() {
        return delegate.body();
    }
}
