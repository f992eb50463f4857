package io.sofie.model.operators;

/**
 * Average pooling over a sliding window, 1 to 3 spatial axes, either layout. Padding cells are not counted: each
 * output is the mean of the real input cells under its window (ONNX {@code count_include_pad = 0}), as in Keras.
 */
public final class AveragePool extends WindowPool {
    public AveragePool(String name, String input, String output, Layout layout, Window window) {
        super(name, input, output, layout, window);
    }

    @Override
    public AveragePool withLayout(Layout layout) {
        return new AveragePool(name(), inputs().get(0), outputs().get(0), layout, window());
    }

    @Override
    public String opType() {
        return "AveragePool";
    }

    @Override
    boolean isMax() {
        return false;
    }
}
