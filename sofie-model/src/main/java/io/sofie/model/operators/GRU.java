package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * ONNX GRU with Keras's gate order z, r, h and {@code h = z h + (1 - z) hh}. With {@code resetAfter} (ONNX
 * {@code linear_before_reset}, Keras 3 and tf.keras 2 default) {@code hh = act(x Wh + bh + r (h Rh + rbh))} and the
 * recurrent bias is a separate weight; without it (Keras 1, early Keras 2) {@code hh = act(x Wh + bh + (r h) Rh)},
 * a second product per step.
 */
public final class GRU extends Recurrent {
    private final boolean resetAfter;

    public GRU(String name, List<String> inputs, List<String> outputs, Config config, List<Weights> directions,
            boolean resetAfter) {
        super(name, inputs, outputs, config, directions);
        this.resetAfter = resetAfter;
        for (Weights w : directions) {
            if (!resetAfter && w.recurrentBias() != null) {
                throw new io.sofie.model.ModelException("GRU " + name + ": a recurrent bias needs reset_after");
            }
        }
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public String opType() {
        return "GRU";
    }

    @Override
    protected int gates() {
        return 3;
    }

    @Override
    protected int states() {
        return 1;
    }

    @Override
    protected int fusedColumns() {
        // Reset-before multiplies r h by the candidate's columns, which needs r first.
        return (resetAfter ? 3 : 2) * config().units();
    }

    @Override
    protected void emitStep(CodeBlock.Builder b, OperatorCode code, int direction) {
        int u = config().units();
        Activation act = config().activation();
        Activation rec = config().recurrentActivation();
        if (resetAfter) {
            b.beginControlFlow("for (int j = 0; j < $L; j++)", u);
            b.addStatement("final float vz = p[po + j] + z[zo + j]");
            b.addStatement("final float vr = p[po + $L + j] + z[zo + $L + j]", u, u);
            b.addStatement("final float gz = $L", rec.apply("vz", code));
            b.addStatement("final float gr = $L", rec.apply("vr", code));
            b.addStatement("final float vh = p[po + $L + j] + gr * z[zo + $L + j]", 2 * u, 2 * u);
            b.addStatement("final float hh = $L", act.apply("vh", code));
            b.addStatement("h[ho + j] = gz * h[ho + j] + (1f - gz) * hh");
            b.endControlFlow();
            return;
        }
        b.beginControlFlow("for (int j = 0; j < $L; j++)", u);
        b.addStatement("final float vr = p[po + $L + j] + z[zo + $L + j]", u, u);
        b.addStatement("tmp[ho + j] = $L * h[ho + j]", rec.apply("vr", code));
        b.endControlFlow();
        b.addStatement("$T.fill(z, zo + $L, zo + $L, 0f)", java.util.Arrays.class, 2 * u, 3 * u);
        float[] recurrent = code.weightData(directions().get(direction).recurrentKernel());
        ProductKernel candidate = new ProductKernel(code, "candidate" + direction,
                ProductKernel.columns(recurrent, u, 3 * u, 2 * u, u), u, u);
        emitProduct(code, b, "candidate" + direction, candidate, "1", "z", 0, "zo + " + 2 * u, "tmp", 0, "ho");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", u);
        b.addStatement("final float vz = p[po + j] + z[zo + j]");
        b.addStatement("final float gz = $L", rec.apply("vz", code));
        b.addStatement("final float vh = p[po + $L + j] + z[zo + $L + j]", 2 * u, 2 * u);
        b.addStatement("final float hh = $L", act.apply("vh", code));
        b.addStatement("h[ho + j] = gz * h[ho + j] + (1f - gz) * hh");
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return super.describe() + (resetAfter ? ", reset after" : ", reset before");
    }
}
