package io.sofie.keras.translate;

import java.util.Set;

/** Translates the calls of one family of Keras layers into IR operators and weights. */
public interface LayerTranslator {
    /** The Keras class names (all versions' spellings) this translator handles. */
    Set<String> classNames();

    /** Adds the operators for one call of the layer and binds the call's outputs. */
    void translate(LayerContext layer);
}
