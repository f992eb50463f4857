package io.sofie.model;

/** One source layer as the generated Javadoc lists it. */
public final class LayerSummary {
    private final String name;
    private final String className;
    private final long parameters;
    private final String outputShape;

    public LayerSummary(String name, String className, long parameters, String outputShape) {
        this.name = name;
        this.className = className;
        this.parameters = parameters;
        this.outputShape = outputShape;
    }

    public String name() {
        return name;
    }

    public String className() {
        return className;
    }

    public long parameters() {
        return parameters;
    }

    public String outputShape() {
        return outputShape;
    }
}
