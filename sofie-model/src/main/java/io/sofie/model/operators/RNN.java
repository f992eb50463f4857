package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/** ONNX RNN, Keras SimpleRNN: {@code h = activation(x W + b + h R)}. */
public final class RNN extends Recurrent {
    public RNN(String name, List<String> inputs, List<String> outputs, Config config, List<Weights> directions) {
        super(name, inputs, outputs, config, directions);
    }

    @Override
    public String opType() {
        return "RNN";
    }

    @Override
    protected int gates() {
        return 1;
    }

    @Override
    protected int states() {
        return 1;
    }

    @Override
    protected void emitStep(CodeBlock.Builder b, OperatorCode code, int direction) {
        b.beginControlFlow("for (int j = 0; j < $L; j++)", config().units());
        b.addStatement("final float v = p[po + j] + z[zo + j]");
        b.addStatement("h[ho + j] = $L", config().activation().apply("v", code));
        b.endControlFlow();
    }
}
