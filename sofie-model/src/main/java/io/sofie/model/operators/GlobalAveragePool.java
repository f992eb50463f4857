package io.sofie.model.operators;

/** The mean of each channel over all spatial positions (Keras GlobalAveragePooling1D/2D/3D). */
public final class GlobalAveragePool extends GlobalPool {
    public GlobalAveragePool(String name, String input, String output, Layout layout, boolean keepDims) {
        super(name, input, output, layout, keepDims);
    }

    @Override
    public GlobalAveragePool withLayout(Layout layout) {
        return new GlobalAveragePool(name(), inputs().get(0), outputs().get(0), layout, keepDims());
    }

    @Override
    public String opType() {
        return "GlobalAveragePool";
    }

    @Override
    boolean isMax() {
        return false;
    }
}
