package io.sofie.model.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Window;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.OneOperator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A convolution lowered to Im2Col + Gemm computes what the direct convolution computes, in every window shape. */
class LowerConvToGemmTest {
    @ParameterizedTest(name = "{0}-D in {1}, c {2}, kernel {3}, stride {4}, dilation {5}, {6}, {7} filters")
    @CsvSource({
        "1, 11, 3, 3, 1, 1, VALID, 5",
        "1, 11, 2, 3, 2, 2, SAME, 4",
        "1, 9, 3, 4, 1, 1, CAUSAL, 6",
        "2, 5, 3, 3, 1, 1, SAME, 8",
        "2, 8, 4, 3, 2, 1, VALID, 5",
        "2, 9, 2, 2, 3, 2, SAME, 3",
        "2, 6, 5, 1, 1, 1, VALID, 7",
        "3, 5, 2, 3, 1, 1, SAME, 4",
    })
    void matchesTheDirectConvolution(int rank, int size, int c, int k, int stride, int dilation, String padding,
            int filters) {
        int[] in = new int[rank];
        int[] kernel = new int[rank];
        int[] strides = new int[rank];
        int[] dilations = new int[rank];
        int taps = 1;
        for (int d = 0; d < rank; d++) {
            in[d] = size - d;
            kernel[d] = k;
            strides[d] = stride;
            dilations[d] = dilation;
            taps *= k;
        }
        Window window = padding.equals("CAUSAL") ? Window.causal(k, stride, dilation)
                : Window.of(kernel, strides, dilations, Window.Padding.valueOf(padding));
        int[] kernelShape = new int[rank + 2];
        System.arraycopy(kernel, 0, kernelShape, 0, rank);
        kernelShape[rank] = c;
        kernelShape[rank + 1] = filters;
        Shape xShape = Layout.CHANNELS_LAST.shape(in, c);
        RModel model = RModel.builder("conv")
                .addInput("x", xShape)
                .addWeight("w", Shape.of(kernelShape), OneOperator.random(5, taps * c * filters, 0.5f))
                .addWeight("b", Shape.of(filters), OneOperator.random(6, filters, 0.5f))
                .addOperator(new Conv("conv", "x", "y", Layout.CHANNELS_LAST, window, 1, "w", "b",
                        Activation.of(Activation.Kind.TANH)))
                .addOutput("y")
                .build();
        RModel lowered = new LowerConvToGemm().apply(model);
        List<String> types = lowered.operators().stream().map(ROperator::opType).collect(Collectors.toList());
        boolean pointwise = k == 1 && stride == 1;
        assertEquals(List.of(pointwise ? "Reshape" : "Im2Col", "Gemm", "Reshape"), types);
        assertEquals(model.shape("y"), lowered.shape("y"));

        int batch = 3;
        float[] x = OneOperator.random(7, batch * xShape.size(), 1f);
        float[] direct = CompiledModel.compile(JavaEmitter.emit(model, "t", "Direct")).infer(batch, x)[0];
        float[] viaGemm = CompiledModel.compile(JavaEmitter.emit(lowered, "t", "Lowered")).infer(batch, x)[0];
        double worst = CompiledModel.maxAbsDiff(direct, viaGemm);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }
}
