package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import io.sofie.model.emit.SupportMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention of queries Q over keys K and values V: {@code softmax(score(Q, K)) V} per head. Q is {@code (Tq, D)} or
 * {@code (Tq, H, D)}, K {@code (Tv, D)} or {@code (Tv, H, D)}, V {@code (Tv, Dv)} or {@code (Tv, H, Dv)}; the
 * output is {@code (Tq, Dv)} or {@code (Tq, H, Dv)}. Two score functions, as Keras computes them:
 *
 * <ul>
 *   <li>dot: {@code (Q * queryScale) . K}, then times the scalar weight {@code scoreScale} when given
 *       (MultiHeadAttention scales Q by 1/sqrt(key_dim); Attention scales the scores by a learnt scalar);
 *   <li>tanh: {@code outer * sum_d dimScale[d] * tanh(inner * (Q[d] + K[d]))}, each factor a weight or absent
 *       (Attention's concat mode, AdditiveAttention).
 * </ul>
 *
 * With {@code causal}, query i attends to keys j <= i only. Keras adds -1e9 to the masked scores before the softmax,
 * which in float32 gives them a weight of exactly 0; skipping them gives the same numbers.
 *
 * <p>Per (sample, head) the dot form stores K transposed in scratch, so scores accumulate over contiguous keys; the
 * softmax runs in double; the output row accumulates {@code p_j V_j} over contiguous value features.
 */
public final class Attention extends ROperator {
    private final boolean dot;
    private final float queryScale;
    private final String scoreScale;
    private final String inner;
    private final String dimScale;
    private final String outer;
    private final boolean causal;

    private Attention(String name, List<String> inputs, String output, boolean dot, float queryScale,
            String scoreScale, String inner, String dimScale, String outer, boolean causal) {
        super(name, inputs, List.of(output));
        this.dot = dot;
        this.queryScale = queryScale;
        this.scoreScale = scoreScale;
        this.inner = inner;
        this.dimScale = dimScale;
        this.outer = outer;
        this.causal = causal;
    }

    /** Dot-product scores; {@code scoreScale} is a scalar weight or null. */
    public static Attention dot(String name, String query, String key, String value, String output,
            float queryScale, String scoreScale, boolean causal) {
        return new Attention(name, List.of(query, key, value), output, true, queryScale, scoreScale, null, null, null,
                causal);
    }

    /**
     * Tanh scores; {@code inner} and {@code outer} are scalar weights, {@code dimScale} a weight of shape (D); each
     * may be null.
     */
    public static Attention tanh(String name, String query, String key, String value, String output, String inner,
            String dimScale, String outer, boolean causal) {
        return new Attention(name, List.of(query, key, value), output, false, 1f, null, inner, dimScale, outer,
                causal);
    }

    @Override
    public String opType() {
        return "Attention";
    }

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>();
        for (String s : new String[] {scoreScale, inner, dimScale, outer}) {
            if (s != null) {
                w.add(s);
            }
        }
        return w;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> in, WeightLookup weights) {
        Shape q = in.get(0);
        Shape k = in.get(1);
        Shape v = in.get(2);
        int rank = q.rank();
        boolean ok = (rank == 2 || rank == 3) && k.rank() == rank && v.rank() == rank
                && q.dim(-1) == k.dim(-1) && k.dim(0) == v.dim(0)
                && (rank == 2 || (q.dim(1) == k.dim(1) && k.dim(1) == v.dim(1)));
        if (!ok) {
            throw new ModelException("Attention " + name() + ": query " + q + ", key " + k + " and value " + v
                    + " do not fit (T, [heads,] dim)");
        }
        for (String s : new String[] {scoreScale, inner, outer}) {
            if (s != null && weights.weight(s).shape().size() != 1) {
                throw new ModelException("Attention " + name() + ": " + s + " is not a scalar");
            }
        }
        if (dimScale != null && !weights.weight(dimScale).shape().equals(Shape.of(q.dim(-1)))) {
            throw new ModelException("Attention " + name() + ": " + dimScale + " is "
                    + weights.weight(dimScale).shape() + ", not (" + q.dim(-1) + ")");
        }
        return List.of(q.withDim(-1, v.dim(-1)));
    }

    @Override
    public void emit(OperatorCode code) {
        Shape q = code.inShape(0);
        Shape v = code.inShape(2);
        int tq = q.dim(0);
        int tv = v.dim(0);
        int heads = q.rank() == 3 ? q.dim(1) : 1;
        int d = q.dim(-1);
        int dv = v.dim(-1);
        String qa = code.in(0);
        String ka = code.in(1);
        String va = code.in(2);
        String ya = code.out(0);
        String kt = dot ? code.scratch(0, d * tv) : null;
        String sc = code.scratch(1, tv);
        CodeBlock.Builder b = code.body();
        if (scoreScale != null) {
            b.addStatement("final float scoreScale = $L[0]", code.weight(scoreScale));
        }
        if (inner != null) {
            b.addStatement("final float inner = $L[0]", code.weight(inner));
        }
        if (outer != null) {
            b.addStatement("final float outer = $L[0]", code.weight(outer));
        }
        if (dimScale != null) {
            b.addStatement("final float[] dimScale = $L", code.weight(dimScale));
        }
        b.beginControlFlow("for (int s = 0; s < $L; s++)", code.batch());
        b.beginControlFlow("for (int h = 0; h < $L; h++)", heads);
        b.addStatement("final int qb = s * $L + h * $L", tq * heads * d, d);
        b.addStatement("final int kb = s * $L + h * $L", tv * heads * d, d);
        b.addStatement("final int vb = s * $L + h * $L", tv * heads * dv, dv);
        b.addStatement("final int yb = s * $L + h * $L", tq * heads * dv, dv);
        if (dot) {
            // K transposed to (D, Tv), so the scores of one query accumulate over contiguous keys.
            b.beginControlFlow("for (int j = 0; j < $L; j++)", tv);
            b.beginControlFlow("for (int c = 0; c < $L; c++)", d);
            b.addStatement("$L[c * $L + j] = $L[kb + j * $L + c]", kt, tv, ka, heads * d);
            b.endControlFlow();
            b.endControlFlow();
        }
        b.beginControlFlow("for (int i = 0; i < $L; i++)", tq);
        b.addStatement("final int len = $L", causal ? "Math.min(i + 1, " + tv + ")" : String.valueOf(tv));
        b.addStatement("final int qo = qb + i * $L", heads * d);
        if (dot) {
            b.addStatement("java.util.Arrays.fill($L, 0, len, 0f)", sc);
            b.beginControlFlow("for (int c = 0; c < $L; c++)", d);
            if (queryScale == 1f) {
                b.addStatement("final float a = $L[qo + c]", qa);
            } else {
                b.addStatement("final float a = $L[qo + c] * $Lf", qa, queryScale);
            }
            b.addStatement("final int ko = c * $L", tv);
            b.beginControlFlow("for (int j = 0; j < len; j++)");
            b.addStatement("$L[j] += a * $L[ko + j]", sc, kt);
            b.endControlFlow();
            b.endControlFlow();
            if (scoreScale != null) {
                b.beginControlFlow("for (int j = 0; j < len; j++)");
                b.addStatement("$L[j] *= scoreScale", sc);
                b.endControlFlow();
            }
        } else {
            b.beginControlFlow("for (int j = 0; j < len; j++)");
            b.addStatement("final int ko = kb + j * $L", heads * d);
            b.addStatement("float sum = 0f");
            b.beginControlFlow("for (int c = 0; c < $L; c++)", d);
            String arg = inner != null ? "inner * ($L[qo + c] + $L[ko + c])" : "$L[qo + c] + $L[ko + c]";
            code.require(SupportMethod.TANH);
            b.addStatement("final float t = (float) tanh(" + arg + ")", qa, ka);
            b.addStatement(dimScale != null ? "sum += dimScale[c] * t" : "sum += t");
            b.endControlFlow();
            b.addStatement("$L[j] = $L", sc, outer != null ? "outer * sum" : "sum");
            b.endControlFlow();
        }
        b.addStatement("float max = Float.NEGATIVE_INFINITY");
        b.beginControlFlow("for (int j = 0; j < len; j++)");
        b.addStatement("max = Math.max(max, $L[j])", sc);
        b.endControlFlow();
        code.require(SupportMethod.EXP);
        b.addStatement("double total = 0.0");
        b.beginControlFlow("for (int j = 0; j < len; j++)");
        b.addStatement("final double e = exp((double) $L[j] - max)", sc);
        b.addStatement("$L[j] = (float) e", sc);
        b.addStatement("total += e");
        b.endControlFlow();
        b.addStatement("final double norm = 1.0 / total");
        b.addStatement("final int yo = yb + i * $L", heads * dv);
        b.addStatement("java.util.Arrays.fill($L, yo, yo + $L, 0f)", ya, dv);
        b.beginControlFlow("for (int j = 0; j < len; j++)");
        b.addStatement("final float p = (float) ($L[j] * norm)", sc);
        b.addStatement("final int vo = vb + j * $L", heads * dv);
        b.beginControlFlow("for (int c = 0; c < $L; c++)", dv);
        b.addStatement("$L[yo + c] += p * $L[vo + c]", ya, va);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }

    @Override
    public String describe() {
        return "Attention(" + (dot ? "dot" : "tanh") + (causal ? ", causal" : "") + ")";
    }
}
