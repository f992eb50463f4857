package io.sofie.model;

import java.util.Arrays;

/** A static tensor shape. Activation shapes are per sample (the batch dimension is symbolic and left out). */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new ModelException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements; refuses shapes whose element count does not fit an int (Java arrays cannot hold them). */
    public int size() {
        long size = 1;
        for (int d : dims) {
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new ModelException("shape " + this + " holds more elements than a Java array can");
            }
        }
        return (int) size;
    }

    /** Product of dims in [from, to). */
    public int size(int from, int to) {
        int size = 1;
        for (int i = from; i < to; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** Resolves a possibly negative axis against this rank. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ModelException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    public Shape withDim(int axis, int value) {
        int[] d = dims.clone();
        d[axis(axis)] = value;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
