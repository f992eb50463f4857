package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * ONNX LSTM with Keras's gate order i, f, c, o: {@code c = f c + i act(g)}, {@code h = o act(c)}, gates i, f, o
 * through the recurrent activation. States h, c.
 */
public final class LSTM extends Recurrent {
    public LSTM(String name, List<String> inputs, List<String> outputs, Config config, List<Weights> directions) {
        super(name, inputs, outputs, config, directions);
    }

    @Override
    public String opType() {
        return "LSTM";
    }

    @Override
    protected int gates() {
        return 4;
    }

    @Override
    protected int states() {
        return 2;
    }

    @Override
    protected void emitStep(CodeBlock.Builder b, OperatorCode code, int direction) {
        int u = config().units();
        Activation act = config().activation();
        Activation rec = config().recurrentActivation();
        b.beginControlFlow("for (int j = 0; j < $L; j++)", u);
        b.addStatement("final float vi = p[po + j] + z[zo + j]");
        b.addStatement("final float vf = p[po + $L + j] + z[zo + $L + j]", u, u);
        b.addStatement("final float vg = p[po + $L + j] + z[zo + $L + j]", 2 * u, 2 * u);
        b.addStatement("final float vo = p[po + $L + j] + z[zo + $L + j]", 3 * u, 3 * u);
        b.addStatement("final float gi = $L", rec.apply("vi", code));
        b.addStatement("final float gf = $L", rec.apply("vf", code));
        b.addStatement("final float gg = $L", act.apply("vg", code));
        b.addStatement("final float go = $L", rec.apply("vo", code));
        b.addStatement("final float cj = gf * c[ho + j] + gi * gg");
        b.addStatement("c[ho + j] = cj");
        b.addStatement("h[ho + j] = go * $L", act.apply("cj", code));
        b.endControlFlow();
    }
}
