package io.sofie.keras.conformance;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One fixture folder: a Keras model and the inputs and outputs Keras computed for it ({@code reference.h5}). */
final class FixtureCase {
    final String set;
    final String name;
    final Path dir;

    private FixtureCase(String set, Path dir) {
        this.set = set;
        this.name = dir.getFileName().toString();
        this.dir = dir;
    }

    /** The model file: model.h5, else model.json (paired with weights.h5). */
    Path modelFile() {
        Path h5 = dir.resolve("model.h5");
        return Files.exists(h5) ? h5 : dir.resolve("model.json");
    }

    Path kerasFile() {
        return dir.resolve("model.keras");
    }

    Reference reference() {
        return Reference.read(dir.resolve("reference.h5"));
    }

    String id() {
        return set + "/" + name;
    }

    /** Cases with a reference.h5 under {@code root/set}, sorted; empty when the folder does not exist. */
    static List<FixtureCase> list(Path root, String set) {
        Path dir = root.resolve(set);
        List<FixtureCase> cases = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return cases;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.exists(p.resolve("reference.h5"))).sorted()
                    .forEach(p -> cases.add(new FixtureCase(set, p)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return cases;
    }

    /** The project's own copy of the keras3 fixtures. */
    static Path projectFixtures() {
        try {
            return Paths.get(FixtureCase.class.getResource("/fixtures/keras3/manifest.json").toURI())
                    .getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ../shared/fixtures, or null when this checkout has none beside it. */
    static Path sharedFixtures() {
        String p = System.getProperty("sofie.sharedFixtures");
        Path path = p != null ? Paths.get(p) : Paths.get("..", "..", "shared", "fixtures");
        return Files.isDirectory(path) ? path.normalize() : null;
    }

    /** Inputs, outputs and tolerance of a reference.h5. */
    static final class Reference {
        final List<float[]> inputs = new ArrayList<>();
        final List<int[]> inputShapes = new ArrayList<>();
        final List<float[]> outputs = new ArrayList<>();
        final double atol;
        final int batch;

        private Reference(HdfFile f) {
            for (int i = 0; f.getChildren().containsKey("input_" + i); i++) {
                Dataset d = (Dataset) f.getChildren().get("input_" + i);
                inputs.add((float[]) d.getDataFlat());
                inputShapes.add(d.getDimensions());
            }
            for (int i = 0; f.getChildren().containsKey("output_" + i); i++) {
                outputs.add((float[]) ((Dataset) f.getChildren().get("output_" + i)).getDataFlat());
            }
            Attribute a = f.getAttribute("atol");
            atol = a == null || a.isEmpty() ? 1e-5 : ((Number) a.getData()).doubleValue();
            batch = inputShapes.isEmpty() ? 0 : inputShapes.get(0)[0];
        }

        static Reference read(Path file) {
            try (HdfFile f = new HdfFile(file)) {
                return new Reference(f);
            }
        }
    }
}
