package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.List;

/**
 * Parametric ReLU: {@code x > 0 ? x : slope * x}, with a learned slope per position. The slope weight has the
 * input's rank; an axis where it has size 1 shares one slope along that axis (Keras's {@code shared_axes}).
 */
public final class PRelu extends ROperator {
    private final String slope;

    public PRelu(String name, String input, String output, String slope) {
        super(name, List.of(input), List.of(output));
        this.slope = slope;
    }

    @Override
    public String opType() {
        return "PRelu";
    }

    @Override
    public List<String> weights() {
        return List.of(slope);
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape x = inputShapes.get(0);
        Shape a = weights.weight(slope).shape();
        boolean ok = a.rank() == x.rank();
        for (int i = 0; ok && i < x.rank(); i++) {
            ok = a.dim(i) == x.dim(i) || a.dim(i) == 1;
        }
        if (!ok) {
            throw new ModelException("PRelu " + name() + ": slope " + a + " does not broadcast over input " + x
                    + " (each axis must match or be 1)");
        }
        return List.of(x);
    }

    @Override
    public void emit(OperatorCode code) {
        Shape x = code.inShape(0);
        Shape a = code.weightShape(slope);
        boolean[] shared = new boolean[x.rank()];
        for (int i = 0; i < x.rank(); i++) {
            shared[i] = a.dim(i) == 1;
        }
        List<LoopGroup> groups = LoopGroup.of(x, shared);
        int[] slopeStrides = new int[groups.size()];
        int stride = 1;
        for (int g = groups.size() - 1; g >= 0; g--) {
            if (!groups.get(g).marked) {
                slopeStrides[g] = stride;
                stride *= groups.get(g).size;
            }
        }
        String in = code.in(0);
        String out = code.out(0);
        CodeBlock.Builder b = code.body();
        b.addStatement("final float[] slope = $L", code.weight(slope));
        b.addStatement("int at = 0");
        b.beginControlFlow("for (int sample = 0; sample < $L; sample++)", code.batch());
        int last = groups.size() - 1;
        List<LoopGroup> outerGroups = groups.subList(0, Math.max(last, 0));
        LoopGroup.open(b, outerGroups, "p");
        StringBuilder slopeBase = new StringBuilder();
        for (int g = 0; g < outerGroups.size(); g++) {
            if (slopeStrides[g] != 0) {
                slopeBase.append(slopeBase.length() == 0 ? "" : " + ").append("p").append(g).append(" * ")
                        .append(slopeStrides[g]);
            }
        }
        b.addStatement("final int sb = $L", slopeBase.length() == 0 ? "0" : slopeBase);
        // The innermost run is contiguous in x; its slope is either contiguous too or one shared value.
        if (last < 0) {
            innermost(b, in, out, 1, "slope[sb]");
        } else if (slopeStrides[last] == 0) {
            b.addStatement("final float s = slope[sb]");
            innermost(b, in, out, groups.get(last).size, "s");
        } else {
            innermost(b, in, out, groups.get(last).size, "slope[sb + j]");
        }
        LoopGroup.close(b, outerGroups);
        b.endControlFlow();
    }

    private static void innermost(CodeBlock.Builder b, String in, String out, int size, String slopeAt) {
        b.beginControlFlow("for (int j = 0; j < $L; j++, at++)", size)
                .addStatement("final float v = $L[at]", in)
                .addStatement("$L[at] = v > 0f ? v : $L * v", out, slopeAt)
                .endControlFlow();
    }

    @Override
    public String describe() {
        return "PRelu";
    }
}
