package io.sofie.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime on a fixture's model.onnx, set up as the fixtures' README prescribes for a fair single-threaded
 * comparison: one intra-op thread, all graph optimisations, and an input tensor made once from a direct buffer and
 * reused by every {@code run}.
 */
final class OrtModel implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final Map<String, OnnxTensor> feed;

    OrtModel(String name, int[] sampleShape, float[] data, int batch) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(Reference.modelDir(name).resolve("model.onnx").toString(), options);
        }
        if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
            throw new IllegalStateException(name + "/model.onnx must have one input and one output");
        }
        FloatBuffer buffer = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(data).rewind();
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = batch;
        for (int i = 0; i < sampleShape.length; i++) {
            shape[i + 1] = sampleShape[i];
        }
        input = OnnxTensor.createTensor(env, buffer, shape);
        feed = Map.of(session.getInputNames().iterator().next(), input);
    }

    /** One inference; the caller closes the result (ORT's output tensors live in native memory). */
    OrtSession.Result run() throws OrtException {
        return session.run(feed);
    }

    /** One inference, its output copied out, for the correctness check. */
    float[] runAndCopy() throws OrtException {
        try (OrtSession.Result result = run()) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] copy = new float[out.remaining()];
            out.get(copy);
            return copy;
        }
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
    }
}
