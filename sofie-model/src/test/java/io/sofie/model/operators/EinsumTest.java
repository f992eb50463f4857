package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emitted Einsum against a loop over every assignment of every label. */
class EinsumTest {
    @ParameterizedTest(name = "{0} bias {1}")
    @CsvSource({
        "'c,cd->d', '5', '3,5'",
        "'bc,cd->bd', '4', '6,3,4'",
        "'bc,cd->bd', '6x4', '6,3,4'",
        "'bc,cde->bde', '6x1x1', '6,8,2,3'",
        "'bc,cde->bde', '2x3', '6,8,2,3'",
        "'bc,cde->bde', '3', '6,8,2,3'",
        "'bc,cde->bde', '4x70', '3,300,4,70'",
        "'bcd,cde->be', '5', '7,2,3,5'",
        "'bc,bcd->d', '', '6,8,5'",
        "'bcd,dbe->ecb', '3x1x1', '4,5,3,3'",
        "'bc,cde->bd', '', '6,8,2,3'",
        "'bcf,cd->db', '', '6,3,2,4'",
        "'cb,cd->db', '4x1', '5,3,4'",
    })
    void matchesPlainLoops(String equation, String biasDims, String sizeList) {
        String[] parts = equation.split(",|->");
        String xl = parts[0];
        String wl = parts[1];
        String yl = parts[2];
        String[] sz = sizeList.split(",");
        Map<Character, Integer> sizes = new LinkedHashMap<>();
        for (char c : (xl + wl + yl).toCharArray()) {
            sizes.putIfAbsent(c, 0);
        }
        int i = 0;
        for (Map.Entry<Character, Integer> e : sizes.entrySet()) {
            e.setValue(Integer.parseInt(sz[i++]));
        }
        Shape xs = shape(xl, sizes);
        Shape ws = shape(wl, sizes);
        Shape ys = shape(yl, sizes);
        Random rnd = new Random(equation.hashCode());
        float[] w = GemmTest.uniform(rnd, ws.size());
        Shape bs = biasDims.isEmpty() ? null : parse(biasDims);
        float[] bias = bs == null ? null : GemmTest.uniform(rnd, bs.size());
        RModel.Builder builder = RModel.builder("einsum").addInput("x", xs).addWeight("w", ws, w);
        if (bs != null) {
            builder.addWeight("b", bs, bias);
        }
        RModel model = builder.addOperator(new Einsum("ed", "x", "y", equation, "w", bs == null ? null : "b"))
                .addOutput("y").build();
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(model, "t", "EinsumModel"));
        int batch = 3;
        float[] x = GemmTest.uniform(rnd, batch * xs.size());
        float[] actual = compiled.infer(batch, x)[0];

        double[] expected = new double[batch * ys.size()];
        String all = String.join("", sizes.keySet().stream().map(String::valueOf).toArray(String[]::new));
        int total = shape(all, sizes).size();
        Map<Character, Integer> at = new HashMap<>();
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < total; t++) {
                int rem = t;
                for (int a = all.length() - 1; a >= 0; a--) {
                    int d = sizes.get(all.charAt(a));
                    at.put(all.charAt(a), rem % d);
                    rem /= d;
                }
                expected[s * ys.size() + index(yl, sizes, at)] +=
                        (double) x[s * xs.size() + index(xl, sizes, at)] * w[index(wl, sizes, at)];
            }
            if (bs != null) {
                for (int o = 0; o < ys.size(); o++) {
                    int rem = o;
                    int src = 0;
                    int stride = 1;
                    for (int a = 1; a <= ys.rank(); a++) {
                        int d = ys.dim(-a);
                        int idx = rem % d;
                        rem /= d;
                        if (a <= bs.rank()) {
                            src += (bs.dim(-a) == 1 ? 0 : idx) * stride;
                            stride *= bs.dim(-a);
                        }
                    }
                    expected[s * ys.size() + o] += bias[src];
                }
            }
        }
        float[] exp = new float[expected.length];
        for (int k = 0; k < exp.length; k++) {
            exp[k] = (float) expected[k];
        }
        double worst = CompiledModel.maxAbsDiff(exp, actual);
        int contracted = 1;
        for (char c : (xl + wl).toCharArray()) {
            contracted *= yl.indexOf(c) < 0 && (xl + wl).indexOf(c) == (xl + wl).lastIndexOf(c) ? sizes.get(c) : 1;
        }
        for (char c : xl.toCharArray()) {
            contracted *= yl.indexOf(c) < 0 && wl.indexOf(c) >= 0 ? sizes.get(c) : 1;
        }
        // float32 accumulation over the contracted labels.
        assertTrue(worst < 1e-5 * Math.sqrt(contracted), "worst difference " + worst);
    }

    @org.junit.jupiter.api.Test
    void rejectsAnOutputLabelInNeitherOperand() {
        assertThrows(ModelException.class, () -> new Einsum("e", "x", "y", "bc,cd->bz", "w", null));
    }

    private static int index(String labels, Map<Character, Integer> sizes, Map<Character, Integer> at) {
        int idx = 0;
        for (char c : labels.toCharArray()) {
            idx = idx * sizes.get(c) + at.get(c);
        }
        return idx;
    }

    private static Shape shape(String labels, Map<Character, Integer> sizes) {
        int[] d = new int[labels.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = sizes.get(labels.charAt(i));
        }
        return Shape.of(d);
    }

    private static Shape parse(String dims) {
        String[] p = dims.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Integer.parseInt(p[i]);
        }
        return Shape.of(d);
    }
}
