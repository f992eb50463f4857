package io.sofie.model.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import io.sofie.model.Shape;

/**
 * What an operator sees while it writes its method: the Java names of its input and output arrays, their shapes, the
 * batch variable, references to weights, and the method body. The emitter decides where the arrays live.
 *
 * <p>Arrays are flat and row-major over {@code [n, ...shape]}; {@link #batch()} names the int holding n.
 */
public interface OperatorCode {
    /** The parameter naming input {@code i}. */
    String in(int i);

    /** The parameter naming output {@code i}. */
    String out(int i);

    Shape inShape(int i);

    Shape outShape(int i);

    /** The int parameter holding the batch size. */
    String batch();

    /** A reference to the static array holding weight {@code name}. */
    CodeBlock weight(String name);

    /** The shape of weight {@code name}. */
    Shape weightShape(String name);

    /** The values of weight {@code name}, for operators that derive a packed or folded constant from it. */
    float[] weightData(String name);

    /**
     * A reference to a constant array this operator derives from weights at generation time (a packed kernel, folded
     * scales). {@code key} must be unique within the operator. The data goes to the weights resource like any weight.
     */
    CodeBlock constant(String key, float[] data);

    /**
     * Like {@link #constant}, but the generated code sees a {@code float[][]} of {@code data.length / rowLength} rows,
     * each its own array. Kernels that read several rows in one loop need this: C2 (JDK 17) vectorises a loop only when
     * all its array accesses share one index expression, which rows of one flat array at runtime offsets do not.
     */
    CodeBlock constantRows(String key, float[] data, int rowLength);

    /** A per-call working array of at least {@code floats} elements, owned by the session. */
    String scratch(int index, int floats);

    /**
     * A per-call working array of at least {@code ints} ints, owned by the session, for lists of indices a kernel
     * builds at run time.
     */
    String indexScratch(int index, int ints);

    /**
     * A read-only array of at least {@code floats} zeros, shared by the generated class, to clear working arrays with
     * {@code System.arraycopy}: a fill loop (or Arrays.fill) ahead of a kernel's loops can stop C2 (JDK 17) vectorising
     * them.
     */
    String zeros(int floats);

    /**
     * A per-call working array of at least {@code rows} arrays of at least {@code rowLength} floats each, owned by the
     * session. Kernels whose vectorised loops read several planes need each plane as its own array: see
     * {@link #constantRows}.
     */
    String scratchRows(int index, int rows, int rowLength);

    /**
     * A session-owned array of {@code floatsPerSample} floats per sample that keeps its values from one call of
     * {@code infer} to the next (the state of a stateful recurrent layer). It starts at zero, grows with the batch
     * capacity keeping the values of the samples it held, and the generated class's {@code resetStates()} zeroes it.
     * {@code index} is local to the operator; each operator gets its own arrays.
     */
    String persistentState(int index, int floatsPerSample);

    /** Makes a support method (such as erf) available to the generated class. */
    void require(SupportMethod method);

    /**
     * Adds {@code method} to the generated class as a private static helper of this operator and returns the name it
     * gets: the operator's method name followed by {@code method}'s name, capitalised ({@code dense2Gemm} and
     * {@code accumulateRows} give {@code dense2GemmAccumulateRows}). {@code method} must have no modifiers.
     *
     * <p>C2 (JDK 17) unrolls and vectorises each loop in the light of the other loops compiled into the same method: a
     * hot kernel loop can run a quarter slower beside an unrelated activation loop. A kernel large enough not to be
     * inlined (over 325 bytes of bytecode) keeps its own compilation in a helper.
     */
    String helper(MethodSpec method);

    /** The method body being written. */
    CodeBlock.Builder body();
}
