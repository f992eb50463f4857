package io.sofie.maven;

import java.nio.file.Path;

/**
 * One model to generate: the file handed to the importer (for a split pair, the architecture JSON), the file names
 * that led to it (for messages), and the simple class name derived from the model's own file name.
 *
 * @param path the file the importer opens
 * @param displayName path relative to the model directory, as shown in logs and errors
 * @param className simple Java class name
 */
record ModelSource(Path path, String displayName, String className) {
}
