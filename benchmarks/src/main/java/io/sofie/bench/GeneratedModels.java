package io.sofie.bench;

import io.sofie.bench.generated.CnnMobile;
import io.sofie.bench.generated.CnnSmall;
import io.sofie.bench.generated.Conv1dSignal;
import io.sofie.bench.generated.GruSeq;
import io.sofie.bench.generated.LstmSeq;
import io.sofie.bench.generated.MlpLarge;
import io.sofie.bench.generated.MlpSmall;

/**
 * The generated classes of the benchmark fixtures behind one call shape, so that one benchmark serves them all.
 * Each JMH trial uses one model in its own fork, so the interface calls stay monomorphic and inline.
 */
final class GeneratedModels {
    /** A session of one generated class. */
    interface Session {
        float[][] infer(int batchSize, float[] input);

        void inferInto(int batchSize, float[][] inputs, float[][] outputs);
    }

    private GeneratedModels() {
    }

    /** A new session of the class generated from bench fixture {@code fixture}. */
    static Session open(String fixture) {
        switch (fixture) {
            case "mlp_small": {
                MlpSmall m = new MlpSmall();
                return session(m::infer, m::inferInto);
            }
            case "mlp_large": {
                MlpLarge m = new MlpLarge();
                return session(m::infer, m::inferInto);
            }
            case "cnn_small": {
                CnnSmall m = new CnnSmall();
                return session(m::infer, m::inferInto);
            }
            case "cnn_mobile": {
                CnnMobile m = new CnnMobile();
                return session(m::infer, m::inferInto);
            }
            case "conv1d_signal": {
                Conv1dSignal m = new Conv1dSignal();
                return session(m::infer, m::inferInto);
            }
            case "lstm_seq": {
                LstmSeq m = new LstmSeq();
                return session(m::infer, m::inferInto);
            }
            case "gru_seq": {
                GruSeq m = new GruSeq();
                return session(m::infer, m::inferInto);
            }
            default:
                throw new IllegalArgumentException("no generated class for bench fixture " + fixture);
        }
    }

    private interface Infer {
        float[][] infer(int batchSize, float[] input);
    }

    private interface InferInto {
        void inferInto(int batchSize, float[][] inputs, float[][] outputs);
    }

    private static Session session(Infer infer, InferInto inferInto) {
        return new Session() {
            @Override
            public float[][] infer(int batchSize, float[] input) {
                return infer.infer(batchSize, input);
            }

            @Override
            public void inferInto(int batchSize, float[][] inputs, float[][] outputs) {
                inferInto.inferInto(batchSize, inputs, outputs);
            }
        };
    }
}
