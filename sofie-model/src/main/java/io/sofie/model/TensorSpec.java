package io.sofie.model;

/** A named activation tensor with its per-sample shape. */
public final class TensorSpec {
    private final String name;
    private final Shape shape;

    public TensorSpec(String name, Shape shape) {
        this.name = name;
        this.shape = shape;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    @Override
    public String toString() {
        return name + shape;
    }
}
