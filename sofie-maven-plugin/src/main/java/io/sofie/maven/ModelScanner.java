package io.sofie.maven;

import io.sofie.keras.reader.SplitPairing;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.codehaus.plexus.build.BuildContext;
import org.codehaus.plexus.util.Scanner;

/**
 * Finds the model files under the model directory: one {@link ModelFile} per model, so a split pair
 * ({@code name.json} + its weights-only {@code .h5}) is generated once whichever of its two files is included.
 */
final class ModelScanner {
    private final BuildContext buildContext;

    ModelScanner(BuildContext buildContext) {
        this.buildContext = buildContext;
    }

    /** The models in {@code modelDirectory}, sorted by relative path so that nothing depends on file system order. */
    List<ModelFile> scan(File modelDirectory, List<String> includes, List<String> excludes) {
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
        // Sorted so the order of logs, errors, the state file and the "first" file of a clash is the same everywhere.
        Arrays.sort(found);

        Path root = modelDirectory.toPath();
        Map<Path, ModelFile> byModel = new LinkedHashMap<>();
        for (String relative : found) {
            Path model = modelFileOf(root.resolve(relative));
            byModel.computeIfAbsent(model, m -> new ModelFile(m,
                    root.relativize(m).toString().replace(File.separatorChar, '/')));
        }
        return new ArrayList<>(byModel.values());
    }

    /**
     * The file that names a model: a weights-only HDF5 file that pairs with an architecture JSON belongs to that
     * JSON (the reader opens the pair from either side); every other file is its own model.
     */
    private static Path modelFileOf(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
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
