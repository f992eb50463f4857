package io.sofie.model;

import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * One operator of the IR, named and attributed as its ONNX counterpart. Each operator owns its shape inference and
 * the Java code that computes it. Operators are immutable; passes replace them.
 *
 * <p>{@link #inputs()} are activation tensors (per-sample shapes, batch symbolic); constants an operator needs are
 * {@link Weight}s it names itself and reads through the emission context.
 */
public abstract class ROperator {
    private final String name;
    private final List<String> inputs;
    private final List<String> outputs;

    protected ROperator(String name, List<String> inputs, List<String> outputs) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** The source layer's name; names the generated method. */
    public final String name() {
        return name;
    }

    /** The ONNX operator type, for example {@code Gemm}. */
    public abstract String opType();

    public final List<String> inputs() {
        return inputs;
    }

    public final List<String> outputs() {
        return outputs;
    }

    /** Names of the weights this operator reads. */
    public List<String> weights() {
        return List.of();
    }

    /** Per-sample output shapes from per-sample input shapes; throws ModelException for inconsistent inputs. */
    public abstract List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights);

    /**
     * True when output 0 holds exactly the elements of input 0 in the same order (Reshape, Flatten, Identity): such
     * an operator emits no code and its output shares its input's buffer.
     */
    public boolean aliasesInput() {
        return false;
    }

    /** Writes the body of this operator's method. */
    public abstract void emit(OperatorCode code);

    /** A one-line description for the generated Javadoc. */
    public String describe() {
        return opType();
    }

    /** Gives shape inference access to weight shapes. */
    public interface WeightLookup {
        Weight weight(String name);
    }
}
