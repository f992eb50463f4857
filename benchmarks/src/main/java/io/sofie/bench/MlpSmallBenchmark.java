package io.sofie.bench;

import io.sofie.bench.generated.MlpSmall;

/** {@code mlp_small}: see the fixtures' bench/README.md for its layers. */
public class MlpSmallBenchmark extends ModelBenchmark {
    private MlpSmall model;

    @Override
    String fixture() {
        return "mlp_small";
    }

    @Override
    int outputSize() {
        return size(MlpSmall.OUTPUT_SHAPES[0]);
    }

    @Override
    void newSession() {
        model = new MlpSmall();
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
