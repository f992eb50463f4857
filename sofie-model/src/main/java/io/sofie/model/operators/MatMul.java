package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A per-sample matrix product of two activations that contracts one axis of each (Keras Dot, Keras 1 Merge dot): with
 * A's per-sample axis {@code axisA} and B's {@code axisB} of equal length K, output element {@code [i.., j..]} is the
 * sum over k of {@code A[i.. with k at axisA] * B[j.. with k at axisB]}, where i runs over A's other axes and j over
 * B's, in order. An output without axes has shape (1). With A (M, K), B (K, N), axes 1 and 0 this is ONNX MatMul.
 *
 * <p>With {@code normalize} both operands are first L2-normalised along their contracted axis, as Keras does:
 * {@code x * min(1 / sqrt(sum x^2), maxInverseNorm)} (Keras 3 caps at 1 / 1e-7, Keras 2 at 1 / sqrt(1e-12)); the
 * normalised sample goes to session scratch. The product accumulates into the output row, contiguous over B's
 * trailing axes (B contracted on its last axis is first copied transposed to scratch, so that holds there too).
 */
public final class MatMul extends ROperator {
    private final int axisA;
    private final int axisB;
    private final boolean normalize;
    private final double maxInverseNorm;

    /**
     * @param axisA contracted per-sample axis of A, negative counting from the end
     * @param axisB contracted per-sample axis of B, negative counting from the end
     * @param maxInverseNorm the cap on 1/norm when normalizing; ignored otherwise
     */
    public MatMul(String name, String a, String b, String output, int axisA, int axisB, boolean normalize,
            double maxInverseNorm) {
        super(name, List.of(a, b), List.of(output));
        this.axisA = axisA;
        this.axisB = axisB;
        this.normalize = normalize;
        this.maxInverseNorm = maxInverseNorm;
    }

    @Override
    public String opType() {
        return "MatMul";
    }

    @Override
    public List<Shape> inferShapes(List<Shape> inputShapes, WeightLookup weights) {
        Shape a = inputShapes.get(0);
        Shape b = inputShapes.get(1);
        int ka = a.axis(axisA);
        int kb = b.axis(axisB);
        if (a.dim(ka) != b.dim(kb)) {
            throw new ModelException("MatMul " + name() + ": axis " + axisA + " of " + a + " and axis " + axisB
                    + " of " + b + " differ in length");
        }
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < a.rank(); d++) {
            if (d != ka) {
                dims.add(a.dim(d));
            }
        }
        for (int d = 0; d < b.rank(); d++) {
            if (d != kb) {
                dims.add(b.dim(d));
            }
        }
        if (dims.isEmpty()) {
            dims.add(1);
        }
        return List.of(Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape a = code.inShape(0);
        Shape bs = code.inShape(1);
        int ka = a.axis(axisA);
        int kb = bs.axis(axisB);
        int ma = a.size(0, ka);
        int k = a.dim(ka);
        int ia = a.size(ka + 1, a.rank());
        int mb = bs.size(0, kb);
        int ib = bs.size(kb + 1, bs.rank());
        int rowLength = mb * ib;
        // B contracted on its last axis: copy it as (K, mb) so the innermost loop runs over contiguous columns.
        boolean transposeB = ib == 1 && mb > 1;
        String y = code.out(0);
        CodeBlock.Builder b = code.body();
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        String av = code.in(0);
        String bv = code.in(1);
        String ao = "s * " + a.size();
        String bo = "s * " + bs.size();
        if (normalize) {
            av = code.scratch(0, a.size());
            copy(b, code.in(0), ao, av, ma, k, ia, false, true);
            ao = "0";
        }
        if (normalize || transposeB) {
            bv = code.scratch(1, bs.size());
            copy(b, code.in(1), bo, bv, mb, k, ib, transposeB, normalize);
            bo = "0";
        }
        int mbLoop = transposeB ? 1 : mb;
        int ibLoop = transposeB ? mb : ib;
        b.addStatement("final int ao = $L, bo = $L", ao, bo);
        b.addStatement("int row = s * $L", ma * ia * rowLength);
        b.beginControlFlow("for (int i = 0; i < $L; i++)", ma);
        b.beginControlFlow("for (int j = 0; j < $L; j++, row += $L)", ia, rowLength);
        b.addStatement("java.util.Arrays.fill($L, row, row + $L, 0f)", y, rowLength);
        b.beginControlFlow("for (int t = 0; t < $L; t++)", k);
        b.addStatement("final float x = $L[ao + (i * $L + t) * $L + j]", av, k, ia);
        b.beginControlFlow("for (int p = 0; p < $L; p++)", mbLoop);
        b.addStatement("final int bb = bo + (p * $L + t) * $L, yy = row + p * $L", k, ibLoop, ibLoop);
        b.beginControlFlow("for (int q = 0; q < $L; q++)", ibLoop);
        b.addStatement("$L[yy + q] += x * $L[bb + q]", y, bv);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * Copies one sample of x, viewed as (outer, k, inner), to {@code dst} from 0: L2-normalised along k when
     * {@code normalized}, and as (k, outer) when {@code transposed} (inner is then 1).
     */
    private void copy(CodeBlock.Builder b, String x, String offset, String dst, int outer, int k, int inner,
            boolean transposed, boolean normalized) {
        b.beginControlFlow("for (int i = 0; i < $L; i++)", outer);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", inner);
        b.addStatement("final int at = i * $L + j", k * inner);
        String target = transposed ? "t * " + outer + " + i" : "at + t * " + inner;
        if (normalized) {
            b.addStatement("double squares = 0.0");
            b.beginControlFlow("for (int t = 0; t < $L; t++)", k);
            b.addStatement("final double v = $L[$L + at + t * $L]", x, offset, inner);
            b.addStatement("squares += v * v");
            b.endControlFlow();
            b.addStatement("final double inv = Math.min(1.0 / Math.sqrt(squares), $L)", maxInverseNorm);
            b.beginControlFlow("for (int t = 0; t < $L; t++)", k);
            b.addStatement("$L[$L] = (float) ($L[$L + at + t * $L] * inv)", dst, target, x, offset, inner);
        } else {
            b.beginControlFlow("for (int t = 0; t < $L; t++)", k);
            b.addStatement("$L[$L] = $L[$L + at + t * $L]", dst, target, x, offset, inner);
        }
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "MatMul(contracting axis " + axisA + " with " + axisB + (normalize ? ", L2-normalised" : "") + ")";
    }
}
