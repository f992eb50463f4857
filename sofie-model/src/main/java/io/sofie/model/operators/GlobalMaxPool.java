package io.sofie.model.operators;

/** The maximum of each channel over all spatial positions (Keras GlobalMaxPooling1D/2D/3D). */
public final class GlobalMaxPool extends GlobalPool {
    public GlobalMaxPool(String name, String input, String output, Layout layout, boolean keepDims) {
        super(name, input, output, layout, keepDims);
    }

    @Override
    public GlobalMaxPool withLayout(Layout layout) {
        return new GlobalMaxPool(name(), inputs().get(0), outputs().get(0), layout, keepDims());
    }

    @Override
    public String opType() {
        return "GlobalMaxPool";
    }

    @Override
    boolean isMax() {
        return true;
    }
}
