package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import io.sofie.model.emit.SupportMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Softmax or LogSoftmax over one or more axes taken together, as Keras computes them: subtract the maximum,
 * exponentiate, normalise (in double, then rounded once). Several axes are Keras's Softmax layer with a list axis,
 * {@code exp(x - logsumexp(x, axes))}.
 */
public final class Softmax extends ROperator {
    private final int[] axes;
    private final boolean log;

    /** @param axis an axis of the per-sample shape, negative counting from the end */
    public Softmax(String name, String input, String output, int axis, boolean log) {
        this(name, input, output, new int[] {axis}, log);
    }

    /** @param axes distinct axes of the per-sample shape, negative counting from the end */
    public Softmax(String name, String input, String output, int[] axes, boolean log) {
        super(name, List.of(input), List.of(output));
        if (axes.length == 0) {
            throw new ModelException("Softmax " + name + " needs at least one axis");
        }
        this.axes = axes.clone();
        this.log = log;
    }

    @Override
    public String opType() {
        return log ? "LogSoftmax" : "Softmax";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        reduced(inputShapes.get(0));
        return List.of(inputShapes.get(0));
    }

    /** Which per-sample axes are reduced; rejects axes out of range or named twice. */
    private boolean[] reduced(Shape s) {
        boolean[] r = new boolean[s.rank()];
        for (int a : axes) {
            int k = s.axis(a);
            if (r[k]) {
                throw new ModelException("Softmax " + name() + ": axis " + a + " is given twice in "
                        + Arrays.toString(axes) + " for shape " + s);
            }
            r[k] = true;
        }
        return r;
    }

    @Override
    public void emit(OperatorCode code) {
        Shape s = code.inShape(0);
        List<LoopGroup> groups = LoopGroup.of(s, reduced(s));
        List<LoopGroup> kept = new ArrayList<>();
        List<LoopGroup> summed = new ArrayList<>();
        for (LoopGroup g : groups) {
            (g.marked ? summed : kept).add(g);
        }
        String x = code.in(0);
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        LoopGroup.open(b, kept, "k");
        b.addStatement("final int base = sample * $L$L", s.size(), LoopGroup.offset(kept, "k"));
        code.require(SupportMethod.EXP);
        b.addStatement("float max = Float.NEGATIVE_INFINITY");
        // Not Math.max: its NaN and -0.0 handling costs a chain of blends, and both cases give the same result here
        // (a NaN input makes the sum NaN either way).
        reducedLoop(b, summed, () -> {
            b.addStatement("final float v = $L[at]", x);
            b.addStatement("max = v > max ? v : max");
        });
        b.addStatement("double sum = 0.0");
        if (log) {
            reducedLoop(b, summed, () -> b.addStatement("sum += exp((double) $L[at] - max)", x));
            b.addStatement("final double logSum = Math.log(sum)");
            reducedLoop(b, summed, () -> b.addStatement("$L[at] = (float) ((double) $L[at] - max - logSum)", y, x));
        } else {
            // Each exp once: kept in the output (as float, as Keras keeps it) until the sum is known.
            reducedLoop(b, summed, () -> b.addStatement("sum += $L[at] = (float) exp((double) $L[at] - max)",
                    y, x));
            b.addStatement("final double inverse = 1.0 / sum");
            reducedLoop(b, summed, () -> b.addStatement("$L[at] = (float) ($L[at] * inverse)", y, y));
        }
        LoopGroup.close(b, kept);
        b.endControlFlow();
    }

    /** Loops over the reduced positions of the current slice, with {@code at} the flat index of each. */
    private static void reducedLoop(CodeBlock.Builder b, List<LoopGroup> summed, Runnable body) {
        LoopGroup.open(b, summed, "r");
        b.addStatement("final int at = base$L", LoopGroup.offset(summed, "r"));
        body.run();
        LoopGroup.close(b, summed);
    }

    @Override
    public String describe() {
        return opType() + "(axis " + (axes.length == 1 ? Integer.toString(axes[0])
                : Arrays.stream(axes).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"))) + ")";
    }
}
