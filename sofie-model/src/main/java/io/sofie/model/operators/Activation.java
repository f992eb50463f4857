package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.emit.OperatorCode;
import io.sofie.model.emit.SupportMethod;
import java.util.Locale;

/**
 * An elementwise activation function, named as its ONNX operator where one exists. Operators that apply an
 * activation ({@link Unary}, and {@link Gemm} after fusion) ask it for a Java expression over one float variable.
 *
 * <p>Functions that float32 cannot evaluate to the last bit (exp, tanh, erf, log) are computed in double and rounded
 * once, which is within an ulp of what Keras computes in float32.
 */
public final class Activation {
    /** The functions. Parameters are {@code alpha} and {@code beta}, with the meaning given per kind. */
    public enum Kind {
        IDENTITY,
        RELU,
        /** Keras's relu with max_value, negative_slope and threshold: see {@link #clippedRelu}. */
        CLIPPED_RELU,
        /** alpha = negative slope. */
        LEAKY_RELU,
        /** alpha. */
        ELU,
        SELU,
        SIGMOID,
        /** max(0, min(1, alpha * x + beta)): Keras 2 hard_sigmoid is alpha 0.2, beta 0.5. */
        HARD_SIGMOID,
        /** Keras 3 hard_sigmoid: relu6(x + 3) / 6. */
        HARD_SIGMOID_RELU6,
        /** x * relu6(x + 3) / 6. */
        HARD_SWISH,
        TANH,
        SOFTPLUS,
        SOFTSIGN,
        /** x * sigmoid(x). */
        SWISH,
        /** Exact: 0.5 x (1 + erf(x / sqrt 2)). */
        GELU,
        /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
        GELU_TANH,
        EXP,
        RELU6,
        /** x * tanh(softplus(x)). */
        MISH,
        /** alpha. */
        CELU,
        LOG_SIGMOID,
        /** clip(x, -1, 1). */
        HARD_TANH,
        /** alpha = threshold. */
        SOFT_SHRINK,
        /** alpha = threshold. */
        HARD_SHRINK,
        /** x - tanh(x). */
        TANH_SHRINK,
        /** 0 below -1, x above 1, (x + 1)^2 / 4 between. */
        SPARSE_PLUS,
        /** alpha = b: (x + sqrt(x^2 + b)) / 2. */
        SQUAREPLUS,
        /** 0 below -1, 1 above 1, (x + 1) / 2 between. */
        SPARSE_SIGMOID,
        /** alpha = theta: x where x > theta, else 0. */
        THRESHOLDED_RELU
    }

    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0, 0, 0);

    private final Kind kind;
    private final float alpha;
    private final float beta;
    private final float gamma;

    private Activation(Kind kind, float alpha, float beta, float gamma) {
        this.kind = kind;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
    }

    public static Activation of(Kind kind) {
        return new Activation(kind, 0, 0, 0);
    }

    public static Activation of(Kind kind, float alpha) {
        return new Activation(kind, alpha, 0, 0);
    }

    public static Activation of(Kind kind, float alpha, float beta) {
        return new Activation(kind, alpha, beta, 0);
    }

    /**
     * Keras's {@code relu(x, negative_slope, max_value, threshold)} (the ReLU layer), as Keras 2 and 3 compute it:
     * {@code clip(x > threshold ? x : 0, 0, maxValue) - negativeSlope * max(threshold - x, 0)}. So x at or below the
     * threshold gives {@code negativeSlope * (x - threshold)}, and with a finite maxValue a negative threshold still
     * clips the values between it and 0 to 0. {@code maxValue} is infinite for none.
     */
    public static Activation clippedRelu(float maxValue, float negativeSlope, float threshold) {
        return new Activation(Kind.CLIPPED_RELU, maxValue, negativeSlope, threshold);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isIdentity() {
        return kind == Kind.IDENTITY;
    }

    /**
     * Whether every input below some value maps to exactly zero: relu and its clipped and thresholded forms. Their
     * outputs are typically about half zeros, which a {@link Gemm} reading them can skip.
     */
    public boolean zeroesLowInputs() {
        switch (kind) {
            case RELU:
            case RELU6:
            case THRESHOLDED_RELU:
                return true;
            case CLIPPED_RELU:
                return beta == 0f;
            default:
                return false;
        }
    }

    /** A Java float expression for this function applied to the float variable {@code x}. */
    public CodeBlock apply(String x, OperatorCode code) {
        switch (kind) {
            case IDENTITY:
                return CodeBlock.of("$L", x);
            case RELU:
                // Not a ternary: C2 turns that into a branch, which random data mispredicts and which keeps the
                // loop from vectorising; Math.max compiles to a vector max (and keeps NaN, as Keras does).
                return CodeBlock.of("Math.max($L, 0f)", x);
            case CLIPPED_RELU:
                return clippedReluExpression(x);
            case LEAKY_RELU:
                // For a slope in [0, 1], max(x, slope * x) is the same function without a branch (TensorFlow's form).
                return alpha >= 0f && alpha <= 1f
                        ? CodeBlock.of("Math.max($L, $L * $L)", x, f(alpha), x)
                        : CodeBlock.of("($L >= 0f ? $L : $L * $L)", x, x, f(alpha), x);
            case ELU:
                return CodeBlock.of("($L > 0f ? $L : (float) ($L * Math.expm1($L)))", x, x, d(alpha), x);
            case SELU:
                return CodeBlock.of("(float) (1.0507009873554805 * ($L > 0f ? $L : 1.6732632423543772 * Math.expm1($L)))",
                        x, x, x);
            case SIGMOID:
                code.require(SupportMethod.EXP);
                return CodeBlock.of("(float) (1.0 / (1.0 + exp(-(double) $L)))", x);
            case HARD_SIGMOID:
                return CodeBlock.of("Math.max(0f, Math.min(1f, $L * $L + $L))", f(alpha), x, f(beta));
            case HARD_SIGMOID_RELU6:
                return CodeBlock.of("(Math.max(0f, Math.min(6f, $L + 3f)) / 6f)", x);
            case HARD_SWISH:
                return CodeBlock.of("($L * (Math.max(0f, Math.min(6f, $L + 3f)) / 6f))", x, x);
            case TANH:
                code.require(SupportMethod.TANH);
                return CodeBlock.of("(float) tanh($L)", x);
            case SOFTPLUS:
                code.require(SupportMethod.SOFTPLUS);
                return CodeBlock.of("(float) softplus($L)", x);
            case SOFTSIGN:
                return CodeBlock.of("($L / (1f + Math.abs($L)))", x, x);
            case SWISH:
                code.require(SupportMethod.EXP);
                return CodeBlock.of("(float) ($L / (1.0 + exp(-(double) $L)))", x, x);
            case GELU:
                code.require(SupportMethod.ERF);
                return CodeBlock.of("(float) (0.5 * $L * (1.0 + erf($L * 0.7071067811865476)))", x, x);
            case GELU_TANH:
                code.require(SupportMethod.TANH);
                return CodeBlock.of(
                        "(float) (0.5 * $L * (1.0 + tanh(0.7978845608028654 * ($L + 0.044715 * $L * $L * $L))))",
                        x, x, x, x, x);
            case EXP:
                code.require(SupportMethod.EXP);
                return CodeBlock.of("(float) exp($L)", x);
            case RELU6:
                return CodeBlock.of("Math.max(0f, Math.min(6f, $L))", x);
            case MISH:
                code.require(SupportMethod.SOFTPLUS);
                code.require(SupportMethod.TANH);
                return CodeBlock.of("(float) ($L * tanh(softplus($L)))", x, x);
            case CELU:
                return CodeBlock.of("(float) (Math.max(0.0, $L) + Math.min(0.0, $L * Math.expm1($L / $L)))",
                        x, d(alpha), x, d(alpha));
            case LOG_SIGMOID:
                code.require(SupportMethod.SOFTPLUS);
                return CodeBlock.of("(float) -softplus(-(double) $L)", x);
            case HARD_TANH:
                return CodeBlock.of("Math.max(-1f, Math.min(1f, $L))", x);
            case SOFT_SHRINK:
                return CodeBlock.of("($L > $L ? $L - $L : $L < -$L ? $L + $L : 0f)",
                        x, f(alpha), x, f(alpha), x, f(alpha), x, f(alpha));
            case HARD_SHRINK:
                return CodeBlock.of("(Math.abs($L) > $L ? $L : 0f)", x, f(alpha), x);
            case TANH_SHRINK:
                code.require(SupportMethod.TANH);
                return CodeBlock.of("(float) ($L - tanh($L))", x, x);
            case SPARSE_PLUS:
                return CodeBlock.of("($L <= -1f ? 0f : $L >= 1f ? $L : ($L + 1f) * ($L + 1f) / 4f)", x, x, x, x, x);
            case SQUAREPLUS:
                return CodeBlock.of("(float) (($L + Math.sqrt((double) $L * $L + $L)) / 2.0)", x, x, x, d(alpha));
            case SPARSE_SIGMOID:
                return CodeBlock.of("($L <= -1f ? 0f : $L >= 1f ? 1f : ($L + 1f) / 2f)", x, x, x);
            case THRESHOLDED_RELU:
                return CodeBlock.of("($L > $L ? $L : 0f)", x, f(alpha), x);
            default:
                throw new AssertionError(kind);
        }
    }

    private CodeBlock clippedReluExpression(String x) {
        float maxValue = alpha;
        float negativeSlope = beta;
        float threshold = gamma;
        // Keras clips to [0, max_value] only when max_value is given; without it x passes as it is above threshold.
        CodeBlock above = Float.isInfinite(maxValue)
                ? CodeBlock.of("$L", x)
                : CodeBlock.of("Math.min(Math.max($L, 0f), $L)", x, f(maxValue));
        if (threshold == 0f && negativeSlope == 0f && maxValue >= 0f) {
            // The common ReLU(max_value=m): clip(x, 0, m), branch-free as for RELU.
            return Float.isInfinite(maxValue) ? CodeBlock.of("Math.max($L, 0f)", x) : above;
        }
        // x - threshold = -(threshold - x) exactly, so this is Keras's "0 - slope * relu(threshold - x)".
        CodeBlock below = negativeSlope == 0f
                ? CodeBlock.of("0f")
                : CodeBlock.of("$L * ($L - $L)", f(negativeSlope), x, f(threshold));
        return CodeBlock.of("($L > $L ? $L : $L)", x, f(threshold), above, below);
    }

    /** A float literal that round-trips exactly. */
    static String f(float v) {
        if (Float.isInfinite(v)) {
            return v > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return Float.toString(v) + "f";
    }

    /** The float value widened to double, as a literal. */
    static String d(float v) {
        return Double.toString(v);
    }

    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case LEAKY_RELU:
            case ELU:
            case CELU:
            case SOFT_SHRINK:
            case HARD_SHRINK:
            case SQUAREPLUS:
            case THRESHOLDED_RELU:
                return name + "(" + alpha + ")";
            case HARD_SIGMOID:
                return name + "(" + alpha + ", " + beta + ")";
            case CLIPPED_RELU:
                return name + "(max " + alpha + ", slope " + beta + ", threshold " + gamma + ")";
            default:
                return name;
        }
    }
}
