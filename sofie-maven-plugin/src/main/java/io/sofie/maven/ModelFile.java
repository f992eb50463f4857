package io.sofie.maven;

import java.nio.file.Path;

/**
 * A model found under the model directory, before it is named.
 *
 * @param path the file the importer opens (for a split pair, the architecture JSON)
 * @param displayName path relative to the model directory with {@code /} separators
 */
record ModelFile(Path path, String displayName) {
}
