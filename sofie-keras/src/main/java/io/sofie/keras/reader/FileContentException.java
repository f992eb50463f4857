package io.sofie.keras.reader;

/**
 * A part of the file that cannot be used as stored (a corrupt size, a weight too large for this JVM), found by this
 * project's own checks; the message is complete: what is wrong and what to do.
 */
final class FileContentException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FileContentException(String message) {
        super(message);
    }
}
