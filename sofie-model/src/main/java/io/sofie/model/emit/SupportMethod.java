package io.sofie.model.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
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
                    .addStatement("double r = 1.1283791670955126 * Math.exp(-a * a) * sum")
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
                    .addStatement("double erfc = Math.exp(-a * a) / (f * 1.7724538509055159)")
                    .addStatement("return x < 0 ? erfc - 1.0 : 1.0 - erfc")
                    .build();
        }
    },

    /**
     * tanh in double from the intrinsic Math.exp: JDK 17's Math.tanh is a native call, several times slower, and
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
                    .addStatement("return Math.copySign(1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0), x)")
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
                    .addStatement("return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))")
                    .build();
        }
    };

    abstract MethodSpec spec();
}
