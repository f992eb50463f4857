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
    /** Per-sample input shape (batch excluded), as the ONNX input takes it after the batch axis. */
    final int[] inputShape;
    private final Rows inputs;
    private final Rows outputs;
    final double atol;

    private Reference(String name, int[] inputShape, Rows inputs, Rows outputs, double atol) {
        this.name = name;
        this.inputShape = inputShape;
        this.inputs = inputs;
        this.outputs = outputs;
        this.atol = atol;
    }

    /** A dataset's samples, flat: {@code count} rows of {@code width} floats. */
    private static final class Rows {
        final float[] flat;
        final int count;
        final int width;

        Rows(io.jhdf.api.Dataset d) {
            flat = (float[]) d.getDataFlat();
            count = d.getDimensions()[0];
            width = flat.length / count;
        }
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
            io.jhdf.api.Dataset in = h5.getDatasetByPath("input_0");
            int[] dims = in.getDimensions();
            double atol = ((Number) h5.getAttribute("atol").getData()).doubleValue();
            return new Reference(name, java.util.Arrays.copyOfRange(dims, 1, dims.length), new Rows(in),
                    new Rows(h5.getDatasetByPath("output_0")), atol);
        }
    }

    /** {@code batch} reference samples flattened, cycling through the 8 stored ones. */
    float[] inputBatch(int batch) {
        return tile(inputs, batch);
    }

    float[] outputBatch(int batch) {
        return tile(outputs, batch);
    }

    private static float[] tile(Rows rows, int batch) {
        float[] flat = new float[batch * rows.width];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(rows.flat, (r % rows.count) * rows.width, flat, r * rows.width, rows.width);
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
