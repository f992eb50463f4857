package io.sofie.maven;

/**
 * A {@code <model>} entry of the {@code models} parameter: names the class (and optionally the package) of one model
 * file instead of the names derived from its file name and the {@code packageName} parameter.
 *
 * <pre>{@code
 * <models>
 *   <model>
 *     <file>jet_tagger.h5</file>            <!-- relative to modelDirectory -->
 *     <className>Tagger</className>         <!-- optional -->
 *     <packageName>com.x.y</packageName>    <!-- optional -->
 *   </model>
 * </models>
 * }</pre>
 */
public class ModelOverride {
    /** The model file, relative to {@code modelDirectory} ({@code /} separated); for a split pair, its JSON. */
    private String file;

    /** Simple name of the generated class; defaults to the file's base name in UpperCamelCase. */
    private String className;

    /** Package of the generated class; defaults to the {@code packageName} parameter. */
    private String packageName;

    public ModelOverride() {
    }

    ModelOverride(String file, String className, String packageName) {
        this.file = file;
        this.className = className;
        this.packageName = packageName;
    }

    public String getFile() {
        return file;
    }

    public String getClassName() {
        return className;
    }

    public String getPackageName() {
        return packageName;
    }

    @Override
    public String toString() {
        return "<model> " + file + " -> " + (packageName == null ? "" : packageName + ".")
                + (className == null ? "" : className);
    }
}
