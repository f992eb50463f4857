package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A variadic elementwise operator (ONNX Add, Sub, Mul, Max, Min, Mean; Keras merge layers) with numpy broadcasting
 * between per-sample shapes: shapes are aligned at their last axis, missing leading axes count as 1, and an axis of
 * size 1 stretches to the other inputs' size. Keras 3 merge layers broadcast exactly so (inputs of lower rank get
 * axes inserted right after the batch axis).
 *
 * <p>Inputs combine left to right in float, as Keras does ({@code ((x0 + x1) + x2)}; Mean divides the sum by the
 * count). Without broadcasting the loop is one flat pass; with it, axes are merged where every input is either
 * contiguous or repeated across them, so the innermost loop stays as long as possible.
 */
public final class Elementwise extends ROperator {
    /** The combining function, with its ONNX name. */
    public enum Kind {
        ADD("Add"),
        SUB("Sub"),
        MUL("Mul"),
        MAX("Max"),
        MIN("Min"),
        MEAN("Mean");

        private final String onnx;

        Kind(String onnx) {
            this.onnx = onnx;
        }

        public String onnxName() {
            return onnx;
        }
    }

    private final Kind kind;

    public Elementwise(String name, Kind kind, List<String> inputs, String output) {
        super(name, inputs, List.of(output));
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String opType() {
        return kind.onnxName();
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        if (inputShapes.isEmpty() || (kind == Kind.SUB && inputShapes.size() != 2)) {
            throw new ModelException(opType() + " " + name() + " takes " + (kind == Kind.SUB ? "2" : "at least 1")
                    + " input(s), got " + inputShapes.size());
        }
        int rank = 0;
        for (Shape s : inputShapes) {
            rank = Math.max(rank, s.rank());
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (Shape s : inputShapes) {
            for (int d = 0; d < s.rank(); d++) {
                int o = rank - s.rank() + d;
                int v = s.dim(d);
                if (out[o] == 1) {
                    out[o] = v;
                } else if (v != 1 && v != out[o]) {
                    throw new ModelException(opType() + " " + name() + ": input shapes " + inputShapes
                            + " cannot be broadcast together");
                }
            }
        }
        return List.of(Shape.of(out));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape out = code.outShape(0);
        int count = inputs().size();
        List<int[]> axes = mergedAxes(code, out);
        CodeBlock.Builder b = code.body();
        boolean flat = axes.size() <= 1;
        for (int i = 0; flat && i < count; i++) {
            flat = code.inShape(i).size() == out.size();
        }
        if (flat) {
            List<String> operands = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                operands.add(code.in(i) + "[j]");
            }
            b.beginControlFlow("for (int j = 0, end = $L * $L; j < end; j++)", code.batch(), out.size());
            b.addStatement("$L[j] = $L", code.out(0), combine(operands));
            b.endControlFlow();
            return;
        }
        // axes.get(a) = {size, stride of input 0, stride of input 1, ...}
        b.addStatement("int o = 0");
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        List<StringBuilder> offsets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            offsets.add(new StringBuilder("s * " + code.inShape(i).size()));
        }
        for (int a = 0; a < axes.size(); a++) {
            int[] axis = axes.get(a);
            b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", a, a, axis[0], a);
            for (int i = 0; i < count; i++) {
                if (axis[i + 1] != 0) {
                    offsets.get(i).append(" + i").append(a).append(axis[i + 1] == 1 ? "" : " * " + axis[i + 1]);
                }
            }
        }
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            operands.add(code.in(i) + "[" + offsets.get(i) + "]");
        }
        b.addStatement("$L[o++] = $L", code.out(0), combine(operands));
        for (int a = 0; a < axes.size(); a++) {
            b.endControlFlow();
        }
        b.endControlFlow();
    }

    /**
     * The output's axes of size above 1, each as {size, stride per input} (stride 0 where the input repeats), with
     * neighbours merged where every input steps through both alike.
     */
    private List<int[]> mergedAxes(OperatorCode code, Shape out) {
        int count = inputs().size();
        int rank = out.rank();
        List<int[]> axes = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (out.dim(d) == 1) {
                continue;
            }
            int[] axis = new int[count + 1];
            axis[0] = out.dim(d);
            for (int i = 0; i < count; i++) {
                Shape s = code.inShape(i);
                int local = d - (rank - s.rank());
                boolean repeated = local < 0 || s.dim(local) == 1;
                axis[i + 1] = repeated ? 0 : s.size(local + 1, s.rank());
            }
            if (!axes.isEmpty() && mergeable(axes.get(axes.size() - 1), axis)) {
                int[] prev = axes.get(axes.size() - 1);
                prev[0] *= axis[0];
                for (int i = 1; i <= count; i++) {
                    prev[i] = axis[i];
                }
            } else {
                axes.add(axis);
            }
        }
        return axes;
    }

    private static boolean mergeable(int[] outer, int[] inner) {
        for (int i = 1; i < outer.length; i++) {
            boolean both0 = outer[i] == 0 && inner[i] == 0;
            boolean contiguous = inner[i] != 0 && outer[i] == inner[i] * inner[0];
            if (!both0 && !contiguous) {
                return false;
            }
        }
        return true;
    }

    private String combine(List<String> operands) {
        switch (kind) {
            case ADD:
                return String.join(" + ", operands);
            case SUB:
                return operands.get(0) + " - " + operands.get(1);
            case MUL:
                return String.join(" * ", operands);
            case MEAN:
                return "(" + String.join(" + ", operands) + ") / " + operands.size() + "f";
            case MAX:
            case MIN:
                String fn = kind == Kind.MAX ? "Math.max" : "Math.min";
                String acc = operands.get(0);
                for (int i = 1; i < operands.size(); i++) {
                    acc = fn + "(" + acc + ", " + operands.get(i) + ")";
                }
                return acc;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    @Override
    public String describe() {
        return opType() + " of " + inputs().size();
    }
}
