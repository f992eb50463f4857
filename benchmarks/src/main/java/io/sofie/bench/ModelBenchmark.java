package io.sofie.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One bench fixture, three ways, on the same reference inputs: the generated class's allocating {@code infer}, its
 * zero-allocation {@code inferInto}, and ONNX Runtime's {@code session.run} on the ONNX export. The setup checks every
 * engine against Keras's reference outputs and fails the trial if any is off by more than the fixture's atol.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelBenchmark {
    /** Bench fixture; its classes are generated at build time (see src/build/GenerateModels.java). */
    @Param({"mlp_small", "mlp_large", "cnn_small", "cnn_mobile", "conv1d_signal", "lstm_seq", "gru_seq"})
    public String model;

    /** The README's commands choose 1 and 64 (MLPs, conv1d_signal), 16 (CNNs) or 32 (RNNs) with -p batch=... */
    @Param({"1", "64"})
    public int batch;

    private float[] input;
    private float[][] inputs;
    private float[][] outputs;
    private OrtModel ort;
    private GeneratedModels.Session session;

    @Setup
    public void setup() throws OrtException {
        Reference ref = Reference.load(model);
        input = ref.inputBatch(batch);
        inputs = new float[][] {input};
        outputs = new float[][] {new float[ref.outputBatch(batch).length]};
        session = GeneratedModels.open(model);
        ref.check("generated infer", batch, session.infer(batch, input)[0]);
        session.inferInto(batch, inputs, outputs);
        ref.check("generated inferInto", batch, outputs[0]);
        ort = new OrtModel(model, ref.inputShape, input, batch);
        ref.check("ONNX Runtime", batch, ort.runAndCopy());
    }

    @TearDown
    public void tearDown() throws OrtException {
        ort.close();
    }

    @Benchmark
    public float[][] generated() {
        return session.infer(batch, input);
    }

    @Benchmark
    public float[][] generatedInto() {
        session.inferInto(batch, inputs, outputs);
        return outputs;
    }

    @Benchmark
    public void ort(Blackhole bh) throws OrtException {
        try (OrtSession.Result result = ort.run()) {
            bh.consume(result);
        }
    }
}
