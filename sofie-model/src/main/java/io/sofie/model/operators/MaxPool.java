package io.sofie.model.operators;

/** Max pooling over a sliding window, 1 to 3 spatial axes, either layout; padding cells are ignored. */
public final class MaxPool extends WindowPool {
    public MaxPool(String name, String input, String output, Layout layout, Window window) {
        super(name, input, output, layout, window);
    }

    @Override
    public MaxPool withLayout(Layout layout) {
        return new MaxPool(name(), inputs().get(0), outputs().get(0), layout, window());
    }

    @Override
    public String opType() {
        return "MaxPool";
    }

    @Override
    boolean isMax() {
        return true;
    }
}
