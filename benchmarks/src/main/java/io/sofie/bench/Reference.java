package io.sofie.bench;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A benchmark fixture's reference.h5: the inputs Keras was given and the outputs it computed (one input, one output,
 * a batch of 8), plus the tolerance both engines must meet before anything is timed.
 */
final class Reference {
    /** Where the fixtures live; the build passes the shared folder, ../shared/fixtures/bench from the project. */
    static final Path FIXTURES = Path.of(System.getProperty("sofie.benchFixtures", "../shared/fixtures/bench"));

    final String name;
    final float[][] inputs;
    final float[][] outputs;
    final double atol;

    private Reference(String name, float[][] inputs, float[][] outputs, double atol) {
        this.name = name;
        this.inputs = inputs;
        this.outputs = outputs;
        this.atol = atol;
    }

    static Path modelDir(String name) {
        Path dir = FIXTURES.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("benchmark fixture " + dir.toAbsolutePath() + " not found; run from the "
                    + "project root or pass -Dsofie.benchFixtures=/path/to/shared/fixtures/bench (with -jvmArgsAppend)");
        }
        return dir;
    }

    static Reference load(String name) {
        try (HdfFile h5 = new HdfFile(modelDir(name).resolve("reference.h5"))) {
            float[][] in = (float[][]) h5.getDatasetByPath("input_0").getData();
            float[][] out = (float[][]) h5.getDatasetByPath("output_0").getData();
            double atol = ((Number) h5.getAttribute("atol").getData()).doubleValue();
            return new Reference(name, in, out, atol);
        }
    }

    /** {@code batch} reference rows flattened, cycling through the 8 stored rows. */
    float[] inputBatch(int batch) {
        return tile(inputs, batch);
    }

    float[] outputBatch(int batch) {
        return tile(outputs, batch);
    }

    private static float[] tile(float[][] rows, int batch) {
        int width = rows[0].length;
        float[] flat = new float[batch * width];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(rows[r % rows.length], 0, flat, r * width, width);
        }
        return flat;
    }

    /** Fails the benchmark setup unless {@code actual} matches Keras within the fixture's atol. */
    void check(String engine, int batch, float[] actual) {
        float[] expected = outputBatch(batch);
        if (actual.length < expected.length) {
            throw new IllegalStateException(engine + " on " + name + " returned " + actual.length + " floats, expected "
                    + expected.length);
        }
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= atol)) {
            throw new IllegalStateException(engine + " on " + name + " at batch " + batch + " differs from Keras by "
                    + worst + " at element " + at + " (atol " + atol + ")");
        }
        System.out.printf(java.util.Locale.ROOT, "[check] %s, %s, batch %d: worst difference from Keras %.3g (atol %.3g)%n",
                name, engine, batch, worst, atol);
    }
}
