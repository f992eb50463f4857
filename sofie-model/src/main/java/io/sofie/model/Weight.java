package io.sofie.model;

/** An initialized tensor: a constant whose float32 data is known at generation time. */
public final class Weight {
    private final String name;
    private final Shape shape;
    private final float[] data;

    public Weight(String name, Shape shape, float[] data) {
        if (shape.size() != data.length) {
            throw new ModelException("weight " + name + " has shape " + shape + " but " + data.length + " values");
        }
        this.name = name;
        this.shape = shape;
        this.data = data;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    /** The values, row-major. Shared, not copied: callers must not modify them. */
    public float[] data() {
        return data;
    }
}
