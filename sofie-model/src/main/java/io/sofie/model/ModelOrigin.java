package io.sofie.model;

import java.util.List;

/** Where an RModel came from, for the generated Javadoc and the build log. */
public final class ModelOrigin {
    private final String fileName;
    private final String format;
    private final String producerVersion;
    private final List<LayerSummary> layers;

    public ModelOrigin(String fileName, String format, String producerVersion, List<LayerSummary> layers) {
        this.fileName = fileName;
        this.format = format;
        this.producerVersion = producerVersion;
        this.layers = List.copyOf(layers);
    }

    /** Used for models built by hand (tests, other front ends). */
    public static ModelOrigin handBuilt(String name) {
        return new ModelOrigin(name, "hand-built RModel", "", List.of());
    }

    public String fileName() {
        return fileName;
    }

    /** For example "Keras 2 HDF5". */
    public String format() {
        return format;
    }

    /** For example "Keras 2.13.1, backend tensorflow". */
    public String producerVersion() {
        return producerVersion;
    }

    public List<LayerSummary> layers() {
        return layers;
    }

    public long parameters() {
        long p = 0;
        for (LayerSummary l : layers) {
            p += l.parameters();
        }
        return p;
    }
}
