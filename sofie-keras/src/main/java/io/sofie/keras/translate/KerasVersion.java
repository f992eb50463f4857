package io.sofie.keras.translate;

/** The Keras major version a file was written by, which decides defaults and semantics that changed. */
public enum KerasVersion {
    KERAS_1, KERAS_2, KERAS_3;

    /** From a {@code keras_version} string; files without one are Keras 2 unless their config says otherwise. */
    public static KerasVersion of(String version, boolean configLooksLikeKeras3) {
        if (version != null && !version.isEmpty()) {
            switch (version.charAt(0)) {
                case '1':
                    return KERAS_1;
                case '3':
                    return KERAS_3;
                default:
                    return KERAS_2;
            }
        }
        return configLooksLikeKeras3 ? KERAS_3 : KERAS_2;
    }
}
