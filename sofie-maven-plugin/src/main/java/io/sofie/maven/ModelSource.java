package io.sofie.maven;

import java.nio.file.Path;

/**
 * One model to generate: the file handed to the importer (for a split pair, the architecture JSON), the file names
 * that led to it (for messages), and the package and simple name of its class.
 *
 * @param path the file the importer opens
 * @param displayName path relative to the model directory, as shown in logs and errors; also the model's key in the
 *     generation state
 * @param packageName Java package of the generated class
 * @param className simple Java class name
 */
record ModelSource(Path path, String displayName, String packageName, String className) {

    /** The fully qualified class name. */
    String qualifiedName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }
}
