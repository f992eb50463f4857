package io.sofie.keras.reader;

import io.sofie.model.Shape;

/** One weight array as stored in a Keras file, converted to float32. */
public final class KerasWeight {
    private final String name;
    private final Shape shape;
    private final float[] data;

    public KerasWeight(String name, Shape shape, float[] data) {
        this.name = name;
        this.shape = shape;
        this.data = data;
    }

    /** The name Keras gave it, such as {@code dense_1/kernel:0}, {@code sequential/dense/kernel} or {@code vars/0}. */
    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    public float[] data() {
        return data;
    }
}
