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
 * One model, three ways, on the same reference inputs: the generated class's allocating {@code infer}, its
 * zero-allocation {@code inferInto}, and ONNX Runtime's {@code session.run} on the ONNX export. The setup checks every
 * engine against Keras's reference outputs and fails the trial if any is off by more than the fixture's atol.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class ModelBenchmark {
    @Param({"1", "64"})
    public int batch;

    private float[] input;
    private float[][] inputs;
    private float[][] outputs;
    private OrtModel ort;

    /** The fixture folder name, such as {@code mlp_small}. */
    abstract String fixture();

    /** Per-sample size of the model's output. */
    abstract int outputSize();

    /** Makes a new session of the generated class. */
    abstract void newSession();

    abstract float[][] infer(int batchSize, float[] x);

    abstract void inferInto(int batchSize, float[][] in, float[][] out);

    @Setup
    public void setup() throws OrtException {
        Reference ref = Reference.load(fixture());
        input = ref.inputBatch(batch);
        inputs = new float[][] {input};
        outputs = new float[][] {new float[batch * outputSize()]};
        newSession();
        ref.check("generated infer", batch, infer(batch, input)[0]);
        inferInto(batch, inputs, outputs);
        ref.check("generated inferInto", batch, outputs[0]);
        ort = new OrtModel(fixture(), input, batch);
        ref.check("ONNX Runtime", batch, ort.runAndCopy());
    }

    @TearDown
    public void tearDown() throws OrtException {
        ort.close();
    }

    @Benchmark
    public float[][] generated() {
        return infer(batch, input);
    }

    @Benchmark
    public float[][] generatedInto() {
        inferInto(batch, inputs, outputs);
        return outputs;
    }

    @Benchmark
    public void ort(Blackhole bh) throws OrtException {
        try (OrtSession.Result result = ort.run()) {
            bh.consume(result);
        }
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
