package io.sofie.maven;

import io.sofie.keras.reader.SplitPairing;
import io.sofie.model.emit.JavaNames;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.codehaus.plexus.build.BuildContext;
import org.codehaus.plexus.util.Scanner;

/**
 * Finds the model files under the model directory and turns them into {@link ModelSource}s: one per model, so a split
 * pair ({@code name.json} + its weights-only {@code .h5}) is generated once whichever of its two files is included,
 * and two models that would become the same class are rejected before anything is generated.
 */
final class ModelScanner {
    private final BuildContext buildContext;

    ModelScanner(BuildContext buildContext) {
        this.buildContext = buildContext;
    }

    List<ModelSource> scan(File modelDirectory, List<String> includes, List<String> excludes)
            throws MojoFailureException {
        if (!modelDirectory.isDirectory()) {
            return List.of();
        }
        // ignoreDelta: a full scan, since every model's class name takes part in the clash check.
        Scanner scanner = buildContext.newScanner(modelDirectory, true);
        scanner.setIncludes(includes.toArray(new String[0]));
        if (excludes != null && !excludes.isEmpty()) {
            scanner.setExcludes(excludes.toArray(new String[0]));
        }
        scanner.addDefaultExcludes();
        scanner.scan();
        String[] found = scanner.getIncludedFiles();
        // Sorted so the order of logs, errors and the "first" file of a clash does not depend on the file system.
        Arrays.sort(found);

        Path root = modelDirectory.toPath();
        Map<Path, ModelSource> byModel = new LinkedHashMap<>();
        Map<String, ModelSource> byClass = new LinkedHashMap<>();
        for (String relative : found) {
            Path file = root.resolve(relative);
            Path model = modelFileOf(file);
            if (byModel.containsKey(model)) {
                continue;
            }
            String display = root.relativize(model).toString().replace(File.separatorChar, '/');
            ModelSource source = new ModelSource(model, display,
                    JavaNames.classNameForFile(model.getFileName().toString()));
            ModelSource clash = byClass.putIfAbsent(source.className().toLowerCase(java.util.Locale.ROOT), source);
            if (clash != null) {
                throw new MojoFailureException("Models " + clash.displayName() + " and " + display
                        + " both map to the class name " + clash.className()
                        + (clash.className().equals(source.className()) ? "" : " / " + source.className()
                                + " (class names differing only in case clash on case-insensitive file systems)")
                        + ": rename one of the files or exclude it with <excludes>");
            }
            byModel.put(model, source);
        }
        return new ArrayList<>(byModel.values());
    }

    /**
     * The file that names a model: a weights-only HDF5 file that pairs with an architecture JSON belongs to that
     * JSON (the reader opens the pair from either side); every other file is its own model.
     */
    private static Path modelFileOf(Path file) {
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".json")) {
            return file;
        }
        return SplitPairing.architectureFor(file)
                .filter(json -> SplitPairing.weightsFor(json).map(w -> sameFile(w, file)).orElse(false))
                .orElse(file);
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
