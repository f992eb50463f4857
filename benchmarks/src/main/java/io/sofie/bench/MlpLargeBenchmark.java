package io.sofie.bench;

import io.sofie.bench.generated.MlpLarge;

/** {@code mlp_large}: see the fixtures' bench/README.md for its layers. */
public class MlpLargeBenchmark extends ModelBenchmark {
    private MlpLarge model;

    @Override
    String fixture() {
        return "mlp_large";
    }

    @Override
    int outputSize() {
        return size(MlpLarge.OUTPUT_SHAPES[0]);
    }

    @Override
    void newSession() {
        model = new MlpLarge();
    }

    @Override
    float[][] infer(int batchSize, float[] x) {
        return model.infer(batchSize, x);
    }

    @Override
    void inferInto(int batchSize, float[][] in, float[][] out) {
        model.inferInto(batchSize, in, out);
    }
}
