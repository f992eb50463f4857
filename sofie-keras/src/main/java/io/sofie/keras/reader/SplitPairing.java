package io.sofie.keras.reader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How an architecture JSON ({@code model.to_json()}) and a weights-only HDF5 file ({@code save_weights}) are paired:
 * for {@code name.json} the weights are the first of {@code name.h5}, {@code name.weights.h5},
 * {@code name_weights.h5}, {@code name.hdf5} in the same folder; the special pair {@code model.json} +
 * {@code weights.h5} is also accepted.
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
