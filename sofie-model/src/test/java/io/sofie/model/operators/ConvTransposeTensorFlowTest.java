package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import io.sofie.model.testing.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ConvTranspose against TensorFlow's own {@code conv2d_transpose} outputs (shared fixture set {@code deconv-ops},
 * read from ../shared, never copied): both layouts, strides, dilations, valid and same, odd and even kernels. The
 * set's valid outputs are TensorFlow's {@code (n - 1) * s + k_eff} (output padding 0); same outputs are {@code n * s}.
 */
class ConvTransposeTensorFlowTest {
    private static final Pattern NAME = Pattern.compile(
            "mb\\d+_k(\\d+)_sz(\\d+)_s(\\d+)_(same|valid)_d(\\d+)_(nchw|nhwc)_out\\.npy");

    @TestFactory
    Stream<DynamicTest> tensorFlowConv2dTranspose() throws IOException {
        String p = System.getProperty("sofie.sharedFixtures");
        Path dir = (p != null ? Paths.get(p) : Paths.get("..", "..", "shared", "fixtures")).resolve("deconv-ops");
        if (!Files.isDirectory(dir)) {
            System.out.println("[deconv-ops] " + dir + " not found: skipped its 28 TensorFlow conv2d_transpose cases");
            return Stream.empty();
        }
        List<Path> outs;
        try (Stream<Path> files = Files.list(dir)) {
            outs = files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted()
                    .collect(Collectors.toList());
        }
        return outs.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path outFile) throws IOException {
        String name = outFile.getFileName().toString();
        Matcher m = NAME.matcher(name);
        assertTrue(m.matches());
        int k = Integer.parseInt(m.group(1));
        int s = Integer.parseInt(m.group(3));
        boolean same = m.group(4).equals("same");
        int d = Integer.parseInt(m.group(5));
        boolean last = m.group(6).equals("nhwc");
        String stem = name.substring(0, name.length() - "out.npy".length());
        Npy w = Npy.read(outFile.resolveSibling(stem + "W.npy"));
        Npy b = Npy.read(outFile.resolveSibling(stem + "b.npy"));
        Npy x = Npy.read(outFile.resolveSibling(stem + "in.npy"));
        Npy y = Npy.read(outFile);
        int[] perSample = java.util.Arrays.copyOfRange(x.shape, 1, x.shape.length);
        Layout layout = last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        Window window = Window.of(new int[] {k, k}, new int[] {s, s}, new int[] {d, d},
                same ? Window.Padding.SAME : Window.Padding.VALID);
        RModel model = RModel.builder("deconv")
                .addInput("x", Shape.of(perSample))
                .addWeight("w", Shape.of(w.shape), w.data)
                .addWeight("b", Shape.of(b.shape), b.data)
                .addOperator(new ConvTranspose("deconv", "x", "y", layout, window, same ? null : new int[] {0, 0},
                        "w", "b", Activation.IDENTITY))
                .addOutput("y")
                .build();
        assertArrayEquals(java.util.Arrays.copyOfRange(y.shape, 1, y.shape.length), model.shape("y").dims(),
                "output shape");
        float[] actual = CompiledModel.compile(JavaEmitter.emit(model, "t", "Deconv")).infer(x.shape[0], x.data)[0];
        double scale = 1;
        for (float v : y.data) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = CompiledModel.maxAbsDiff(y.data, actual);
        System.out.printf(java.util.Locale.ROOT, "[deconv-ops] %s: worst %.3g (tolerance %.3g)%n", name, worst,
                1e-6 * scale);
        assertTrue(worst <= 1e-6 * scale, name + ": worst difference " + worst + " (max |out| " + scale + ")");
    }
}
