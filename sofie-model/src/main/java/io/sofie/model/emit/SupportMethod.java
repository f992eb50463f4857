package io.sofie.model.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.EnumSet;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Math the JDK lacks, emitted once into each generated class that uses it. */
public enum SupportMethod {
    /**
     * The error function in double precision: the series {@code 2/sqrt(pi) exp(-x^2) sum 2^k x^(2k+1) / (2k+1)!!}
     * below |x| = 3 (all terms positive, so no cancellation) and a continued fraction for erfc beyond.
     */
    ERF {
        @Override
        MethodSpec spec() {
            return MethodSpec.methodBuilder("erf")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(TypeName.DOUBLE)
                    .addParameter(TypeName.DOUBLE, "x")
                    .addStatement("double a = Math.abs(x)")
                    .beginControlFlow("if (a < 3.0)")
                    .addStatement("double term = a")
                    .addStatement("double sum = a")
                    .addStatement("double x2 = 2.0 * a * a")
                    .beginControlFlow("for (int k = 1; k < 200 && term > 1e-17 * sum; k++)")
                    .addStatement("term *= x2 / (2 * k + 1)")
                    .addStatement("sum += term")
                    .endControlFlow()
                    .addStatement("double r = 1.1283791670955126 * exp(-a * a) * sum")
                    .addStatement("return x < 0 ? -r : r")
                    .endControlFlow()
                    .addComment("erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))) by Lentz's method")
                    .addStatement("double tiny = 1e-300")
                    .addStatement("double f = a")
                    .addStatement("double c = a")
                    .addStatement("double d = 0.0")
                    .beginControlFlow("for (int k = 1; k < 300; k++)")
                    .addStatement("double coef = k * 0.5")
                    .addStatement("d = a + coef * d")
                    .addStatement("d = Math.abs(d) < tiny ? tiny : d")
                    .addStatement("c = a + coef / c")
                    .addStatement("c = Math.abs(c) < tiny ? tiny : c")
                    .addStatement("d = 1.0 / d")
                    .addStatement("double delta = c * d")
                    .addStatement("f *= delta")
                    .beginControlFlow("if (Math.abs(delta - 1.0) < 1e-16)")
                    .addStatement("break")
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("double erfc = exp(-a * a) / (f * 1.7724538509055159)")
                    .addStatement("return x < 0 ? erfc - 1.0 : 1.0 - erfc")
                    .build();
        }
    },

    /**
     * tanh in double from {@link #EXP}: JDK 17's Math.tanh is a native call, several times slower, and
     * recurrent layers evaluate it per unit per step. {@code 1 - 2 / (exp(2|x|) + 1)} loses only absolute digits
     * near 0 (relative error below 1e-12 above |x| = 4e-4); below, the series {@code x - x^3 / 3} is exact to
     * double rounding. Far beyond float precision either way.
     */
    TANH {
        @Override
        MethodSpec spec() {
            return MethodSpec.methodBuilder("tanh")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(TypeName.DOUBLE)
                    .addParameter(TypeName.DOUBLE, "x")
                    .addStatement("double a = Math.abs(x)")
                    .beginControlFlow("if (a < 4e-4)")
                    .addStatement("return x - x * x * x / 3.0")
                    .endControlFlow()
                    .beginControlFlow("if (a > 20.0)")
                    .addStatement("return Math.copySign(1.0, x)")
                    .endControlFlow()
                    .addStatement("return Math.copySign(1.0 - 2.0 / (exp(2.0 * a) + 1.0), x)")
                    .build();
        }
    },

    /**
     * e^x in double, to within 1e-14 relative of Math.exp: JDK 17's Math.exp stub costs about 14 ns a call, this
     * inlines to a few dozen instructions (about 5 ns), and softmax and the sigmoid gates call it per element.
     * x = k ln2 + r with |r| <= ln2/2 (Cody-Waite, exact through fma), e^r by its Taylor series to r^11 (truncation
     * below 3e-16, evaluated by Estrin's scheme), times 2^k built in the exponent bits. Float results equal
     * (float) Math.exp(x) (checked over 1e7 points of the float range); NaN stays NaN, below -708 the result is 0
     * (already 0 as a float below -104).
     */
    EXP {
        @Override
        MethodSpec spec() {
            return MethodSpec.methodBuilder("exp")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(TypeName.DOUBLE)
                    .addParameter(TypeName.DOUBLE, "x")
                    .beginControlFlow("if (!(x > -708.0 && x < 709.0))")
                    .addStatement("return x != x ? x : x > 0.0 ? Double.POSITIVE_INFINITY : 0.0")
                    .endControlFlow()
                    .addStatement("final double k = Math.rint(x * 1.4426950408889634)")
                    .addStatement("final double r = Math.fma(k, -1.9082149292705877e-10, Math.fma(k, -0.6931471803691238, x))")
                    // Estrin's scheme: the same polynomial in four dependent steps instead of Horner's eleven,
                    // so several calls (softmax rows, gate vectors) overlap instead of waiting on each other.
                    .addStatement("final double r2 = r * r")
                    .addStatement("final double r4 = r2 * r2")
                    .addStatement("final double c01 = 1.0 + r")
                    .addStatement("final double c23 = Math.fma(0.16666666666666666, r, 0.5)")
                    .addStatement("final double c45 = Math.fma(8.333333333333333e-3, r, 4.1666666666666664e-2)")
                    .addStatement("final double c67 = Math.fma(1.984126984126984e-4, r, 1.3888888888888889e-3)")
                    .addStatement("final double c89 = Math.fma(2.7557319223985893e-6, r, 2.48015873015873e-5)")
                    .addStatement("final double c1011 = Math.fma(2.505210838544172e-8, r, 2.755731922398589e-7)")
                    .addStatement("final double c03 = Math.fma(c23, r2, c01)")
                    .addStatement("final double c47 = Math.fma(c67, r2, c45)")
                    .addStatement("final double c811 = Math.fma(c1011, r2, c89)")
                    .addStatement("final double p = Math.fma(Math.fma(c811, r4, c47), r4, c03)")
                    .addStatement("return p * Double.longBitsToDouble(((long) k + 1023) << 52)")
                    .build();
        }
    },

    /** log(1 + exp(x)) without overflow. */
    SOFTPLUS {
        @Override
        MethodSpec spec() {
            return MethodSpec.methodBuilder("softplus")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(TypeName.DOUBLE)
                    .addParameter(TypeName.DOUBLE, "x")
                    .addStatement("return Math.max(x, 0.0) + Math.log1p(exp(-Math.abs(x)))")
                    .build();
        }
    };

    abstract MethodSpec spec();

    /** The support methods this one calls; all but {@link #EXP} call exp. */
    Set<SupportMethod> calls() {
        return this == EXP ? EnumSet.noneOf(SupportMethod.class) : EnumSet.of(EXP);
    }
}
