package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.AveragePool;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Elementwise;
import io.sofie.model.operators.GlobalAveragePool;
import io.sofie.model.operators.GlobalMaxPool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.MaxPool;
import io.sofie.model.operators.Reshape;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.OneOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Chains of planar convolutions run channels-first between their ends and compute what the channels-last model
 * computes; chains that would not lose a transpose, branches and depthwise convolutions stay as they are.
 */
class KeepConvolutionChainsInPlanesTest {
    private static final Layout LAST = Layout.CHANNELS_LAST;
    private static final Layout FIRST = Layout.CHANNELS_FIRST;
    private static final Activation RELU = Activation.of(Activation.Kind.RELU);
    private static final Pattern LAYOUTS = Pattern.compile("channels_\\w+( -> channels_\\w+)?");

    /** A model under construction: convolutions with random weights, chained by tensor name. */
    private static final class Net {
        final RModel.Builder b;
        int seed = 10;

        Net(Shape input) {
            b = RModel.builder("net").addInput("x", input);
        }

        Net conv(String name, String in, int[] kernel, Window.Padding padding, int cin, int cout, int groups) {
            int rank = kernel.length;
            int[] ones = new int[rank];
            java.util.Arrays.fill(ones, 1);
            int[] shape = new int[rank + 2];
            System.arraycopy(kernel, 0, shape, 0, rank);
            shape[rank] = cin / groups;
            shape[rank + 1] = cout;
            Shape w = Shape.of(shape);
            b.addWeight(name + "/w", w, OneOperator.random(seed++, w.size(), 0.5f));
            b.addWeight(name + "/b", Shape.of(cout), OneOperator.random(seed++, cout, 0.5f));
            b.addOperator(new Conv(name, in, name, LAST, Window.of(kernel, ones, ones, padding), groups,
                    name + "/w", name + "/b", RELU));
            return this;
        }

        Net op(ROperator op) {
            b.addOperator(op);
            return this;
        }

        RModel output(String... names) {
            for (String n : names) {
                b.addOutput(n);
            }
            return b.build();
        }
    }

    private static Window pool(int... size) {
        return Window.of(size, size, ones(size.length), Window.Padding.VALID);
    }

    private static int[] ones(int rank) {
        int[] o = new int[rank];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    private static List<String> layouts(RModel model) {
        List<String> out = new ArrayList<>();
        for (ROperator op : model.operators()) {
            Matcher m = LAYOUTS.matcher(op.describe());
            out.add(op.name() + ": " + (m.find() ? m.group() : "-"));
        }
        return out;
    }

    /** Runs both models on the same random batch and asserts every output agrees. */
    private static void assertSameOutputs(RModel original, RModel planes) {
        int batch = 2;
        int size = original.inputs().get(0).shape().size();
        float[] x = OneOperator.random(99, batch * size, 1f);
        float[][] expected = CompiledModel.compile(JavaEmitter.emit(original, "t", "Original")).infer(batch, x);
        float[][] actual = CompiledModel.compile(JavaEmitter.emit(planes, "t", "Planes")).infer(batch, x);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double worst = CompiledModel.maxAbsDiff(expected[i], actual[i]);
            assertTrue(worst < 1e-5, "output " + i + ": worst difference " + worst);
        }
    }

    @Test
    void convolutionsPoolsAndGlobalPoolRunInPlanes() {
        RModel model = new Net(Shape.of(20, 20, 3))
                .conv("c1", "x", new int[] {3, 3}, Window.Padding.SAME, 3, 8, 1)
                .conv("c2", "c1", new int[] {3, 3}, Window.Padding.VALID, 8, 8, 1)
                .op(new MaxPool("p", "c2", "p", LAST, pool(2, 2)))
                .op(new Unary("act", "p", "act", Activation.of(Activation.Kind.TANH)))
                .conv("c3", "act", new int[] {3, 3}, Window.Padding.VALID, 8, 16, 1)
                .op(new GlobalAveragePool("gap", "c3", "gap", LAST, false))
                .output("gap");
        RModel planes = new KeepConvolutionChainsInPlanes().apply(model);
        assertEquals(List.of("c1: channels_last -> channels_first", "c2: channels_first", "p: channels_first",
                "act: -", "c3: channels_first", "gap: channels_first"),
                layouts(planes));
        assertEquals(Shape.of(8, 9, 9), planes.shape("p"));
        assertEquals(model.shape("gap"), planes.shape("gap"));
        assertSameOutputs(model, planes);
    }

    @Test
    void aChainWithoutGlobalPoolEndsInAConvolutionWritingChannelsLast() {
        RModel model = new Net(Shape.of(80, 2))
                .conv("c1", "x", new int[] {5}, Window.Padding.VALID, 2, 6, 1)
                .op(new AveragePool("p", "c1", "p", LAST, pool(2)))
                .conv("c2", "p", new int[] {3}, Window.Padding.SAME, 6, 5, 1)
                .op(new MaxPool("p2", "c2", "p2", LAST, pool(2)))
                .op(new Reshape("flat", "p2", "flat", Shape.of(95)))
                .output("flat");
        RModel planes = new KeepConvolutionChainsInPlanes().apply(model);
        assertEquals(List.of("c1: channels_last -> channels_first", "p: channels_first",
                "c2: channels_first -> channels_last", "p2: channels_last", "flat: -"), layouts(planes));
        assertEquals(model.shape("c2"), planes.shape("c2"));
        assertSameOutputs(model, planes);
    }

    @Test
    void oneConvolutionIntoAGlobalMaxPoolIsAChain() {
        RModel model = new Net(Shape.of(64, 3))
                .conv("c1", "x", new int[] {7}, Window.Padding.VALID, 3, 16, 1)
                .op(new GlobalMaxPool("gmp", "c1", "gmp", LAST, false))
                .output("gmp");
        RModel planes = new KeepConvolutionChainsInPlanes().apply(model);
        assertEquals(List.of("c1: channels_last -> channels_first", "gmp: channels_first"), layouts(planes));
        assertSameOutputs(model, planes);
    }

    @Test
    void chainsThatWouldKeepTheirTransposesAreLeftAlone() {
        // One convolution then a reshape: the transpose out of planes would only move into another operator.
        RModel single = new Net(Shape.of(12, 12, 3))
                .conv("c1", "x", new int[] {3, 3}, Window.Padding.SAME, 3, 4, 1)
                .op(new Reshape("flat", "c1", "flat", Shape.of(576)))
                .output("flat");
        assertSame(single, new KeepConvolutionChainsInPlanes().apply(single));
        // A tensor read twice (a residual branch), or a model output, ends the chain where it is produced.
        RModel branch = new Net(Shape.of(12, 12, 4))
                .conv("c1", "x", new int[] {3, 3}, Window.Padding.SAME, 4, 4, 1)
                .conv("c2", "c1", new int[] {3, 3}, Window.Padding.SAME, 4, 4, 1)
                .op(new Elementwise("add", Elementwise.Kind.ADD, List.of("c1", "c2"), "add"))
                .output("add");
        assertSame(branch, new KeepConvolutionChainsInPlanes().apply(branch));
        RModel exposed = new Net(Shape.of(12, 12, 4))
                .conv("c1", "x", new int[] {3, 3}, Window.Padding.SAME, 4, 4, 1)
                .conv("c2", "c1", new int[] {3, 3}, Window.Padding.SAME, 4, 4, 1)
                .output("c1", "c2");
        assertSame(exposed, new KeepConvolutionChainsInPlanes().apply(exposed));
    }

    @Test
    void depthwiseConvolutionsKeepTheirChannelsLastKernel() {
        RModel model = new Net(Shape.of(16, 16, 16))
                .conv("dw", "x", new int[] {3, 3}, Window.Padding.SAME, 16, 16, 16)
                .conv("pw", "dw", new int[] {1, 1}, Window.Padding.VALID, 16, 8, 1)
                .op(new GlobalAveragePool("gap", "pw", "gap", LAST, false))
                .output("gap");
        RModel planes = new KeepConvolutionChainsInPlanes().apply(model);
        assertEquals(List.of("dw: channels_last", "pw: channels_last -> channels_first", "gap: channels_first"),
                layouts(planes));
        assertSameOutputs(model, planes);
    }
}
