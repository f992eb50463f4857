package io.sofie.model.testing;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A model of one operator built by hand (inputs {@code x0, x1, ...}, output {@code y}), emitted, compiled as a
 * consumer would compile it, and run: for unit tests that compare an operator with a plain-loop reference.
 */
public final class OneOperator {
    private final RModel.Builder builder = RModel.builder("one");
    private final List<String> inputs = new ArrayList<>();

    /** Adds model input {@code x<i>} with the given per-sample shape; returns its name. */
    public String input(int... perSample) {
        String name = "x" + inputs.size();
        builder.addInput(name, Shape.of(perSample));
        inputs.add(name);
        return name;
    }

    public String weight(String name, Shape shape, float[] data) {
        builder.addWeight(name, shape, data);
        return name;
    }

    /** Emits and compiles the model made of {@code op} (which must write tensor {@code y}). */
    public CompiledModel compile(ROperator op) {
        builder.addOperator(op);
        builder.addOutput("y");
        return CompiledModel.compile(JavaEmitter.emit(builder.build(), "unit", "OneOperatorModel"));
    }

    /** Emits, compiles and runs {@code op} on a batch, returning its single output. */
    public float[] run(Function<OneOperator, ROperator> op, int batch, float[]... data) {
        return compile(op.apply(this)).infer(batch, data)[0];
    }

    /** Reproducible values spread over [-scale, scale]. */
    public static float[] random(long seed, int size, float scale) {
        Random r = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (r.nextFloat() * 2f - 1f) * scale;
        }
        return v;
    }
}
