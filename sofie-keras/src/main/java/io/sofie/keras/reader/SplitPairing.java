package io.sofie.keras.reader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How an architecture JSON ({@code model.to_json()}) and a weights-only HDF5 file ({@code save_weights}) are paired.
 * Both files sit in the same folder; either may be the one given to the importer.
 *
 * <p>From the JSON {@code name.json}, the weights are the first existing file of
 * <ol>
 *   <li>{@code name.h5}</li>
 *   <li>{@code name.weights.h5} (what Keras 3's {@code save_weights} requires)</li>
 *   <li>{@code name_weights.h5}</li>
 *   <li>{@code name.hdf5}</li>
 *   <li>{@code weights.h5}, only for {@code model.json} (the layout of the public reference fixtures)</li>
 * </ol>
 *
 * <p>From a weights-only HDF5 file (one without a {@code model_config} attribute), the architecture is
 * {@code base.json}, where {@code base} is the file name without its extension and without a trailing
 * {@code .weights} or {@code _weights} ({@code name.weights.h5}, {@code name_weights.h5}, {@code name.h5},
 * {@code name.hdf5} all pair with {@code name.json}), else {@code model.json} for {@code weights.h5}.
 *
 * <p>A full-model HDF5 file never looks for a JSON: its own {@code model_config} wins. The weights file may be in
 * the Keras 1/2 layout ({@code weight_names} per layer group) or, from Keras 3's {@code save_weights}, in the
 * archive layout ({@code layers/<class>/vars}); {@link KerasModelFile} tells them apart by content.
 */
public final class SplitPairing {
    private SplitPairing() {
    }

    public static List<String> weightsNames(String jsonFileName) {
        String base = stripExtension(jsonFileName);
        return List.of(base + ".h5", base + ".weights.h5", base + "_weights.h5", base + ".hdf5", "weights.h5");
    }

    public static Optional<Path> weightsFor(Path json) {
        for (String candidate : weightsNames(json.getFileName().toString())) {
            if (candidate.equals("weights.h5") && !json.getFileName().toString().equals("model.json")) {
                continue;
            }
            Path p = json.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** For a weights-only HDF5 file, the JSON it pairs with. */
    public static Optional<Path> architectureFor(Path weights) {
        String name = weights.getFileName().toString();
        String base = stripExtension(name);
        for (String suffix : List.of(".weights", "_weights", "")) {
            if (base.endsWith(suffix)) {
                Path p = weights.resolveSibling(base.substring(0, base.length() - suffix.length()) + ".json");
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        if (name.equals("weights.h5") && Files.isRegularFile(weights.resolveSibling("model.json"))) {
            return Optional.of(weights.resolveSibling("model.json"));
        }
        return Optional.empty();
    }

    static String expectedJsonNames(Path weights) {
        return stripExtension(weights.getFileName().toString()) + ".json";
    }

    static String expectedWeightsNames(Path json) {
        List<String> names = weightsNames(json.getFileName().toString());
        return String.join(" or ", names.subList(0, 4));
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
