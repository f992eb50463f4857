package io.sofie.keras;

/**
 * A model file the importer cannot turn into an RModel: unreadable, inconsistent, or using a layer or setting that
 * is not supported. The message names the file, the layer (name and class) where there is one, what is wrong and
 * what to do; it is meant to be shown to the user as is.
 */
public class KerasImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String layerName;
    private final String layerClass;
    private final String reason;
    private boolean unsupportedLayer;

    public KerasImportException(String file, String layerName, String layerClass, String reason, Throwable cause) {
        super(format(file, layerName, layerClass, reason), cause);
        this.file = file;
        this.layerName = layerName;
        this.layerClass = layerClass;
        this.reason = reason;
    }

    public KerasImportException(String file, String layerName, String layerClass, String reason) {
        this(file, layerName, layerClass, reason, null);
    }

    /** An error about the file as a whole. */
    public static KerasImportException ofFile(String file, String reason, Throwable cause) {
        return new KerasImportException(file, null, null, reason, cause);
    }

    public static KerasImportException ofFile(String file, String reason) {
        return ofFile(file, reason, null);
    }

    private static String format(String file, String layerName, String layerClass, String reason) {
        StringBuilder sb = new StringBuilder(file == null ? "<unknown file>" : file);
        if (layerName != null) {
            sb.append(": layer '").append(layerName).append("'");
            if (layerClass != null) {
                sb.append(" (").append(layerClass).append(')');
            }
        }
        return sb.append(": ").append(reason).toString();
    }

    public String file() {
        return file;
    }

    /** The layer's name, or null for errors about the whole file. */
    public String layerName() {
        return layerName;
    }

    public String layerClass() {
        return layerClass;
    }

    /** Marks this error as "the layer's class is not supported", as opposed to a bad file or setting. */
    public KerasImportException asUnsupportedLayer() {
        this.unsupportedLayer = true;
        return this;
    }

    /** True when the model uses a layer class the importer has no translator for. */
    public boolean isUnsupportedLayer() {
        return unsupportedLayer;
    }

    /** What is wrong and what to do, without the file and layer prefix. */
    public String reason() {
        return reason;
    }
}
