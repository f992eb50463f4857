package io.sofie.keras.graph;

/** Output {@code tensorIndex} of call {@code nodeIndex} of layer {@code layer}: Keras's {@code keras_history}. */
public final class TensorRef {
    private final String layer;
    private final int nodeIndex;
    private final int tensorIndex;

    public TensorRef(String layer, int nodeIndex, int tensorIndex) {
        this.layer = layer;
        this.nodeIndex = nodeIndex;
        this.tensorIndex = tensorIndex;
    }

    public String layer() {
        return layer;
    }

    public int nodeIndex() {
        return nodeIndex;
    }

    public int tensorIndex() {
        return tensorIndex;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorRef)) {
            return false;
        }
        TensorRef t = (TensorRef) o;
        return layer.equals(t.layer) && nodeIndex == t.nodeIndex && tensorIndex == t.tensorIndex;
    }

    @Override
    public int hashCode() {
        return (layer.hashCode() * 31 + nodeIndex) * 31 + tensorIndex;
    }

    @Override
    public String toString() {
        return layer + "[" + nodeIndex + "][" + tensorIndex + "]";
    }
}
