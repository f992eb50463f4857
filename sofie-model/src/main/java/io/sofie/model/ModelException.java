package io.sofie.model;

/** An RModel that cannot be built or emitted: inconsistent shapes, missing tensors, unsupported attribute values. */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }
}
