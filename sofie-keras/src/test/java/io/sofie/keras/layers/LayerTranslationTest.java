package io.sofie.keras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.testing.CompiledModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What configs of layers without a Keras fixture become: operator sequence, shapes and attributes (Keras 1 Merge,
 * channels_first Flatten, Reshape with -1, RepeatVector, Dot with negative axes, Keras 1 BatchNormalization). The
 * configs are written by hand in each version's format; no output here is claimed to be Keras's.
 */
class LayerTranslationTest {
    @TempDir
    Path dir;

    private RModel importConfig(String version, String config) {
        return new KerasImporter().importModel(new SyntheticModel(version, config).write(dir));
    }

    private static String sequential(String inputShape, String... layers) {
        StringBuilder sb = new StringBuilder("{'class_name': 'Sequential', 'config': {'name': 's', 'layers': [");
        sb.append("{'class_name': 'InputLayer', 'config': {'name': 'in', 'batch_input_shape': [null, ")
                .append(inputShape).append("]}}");
        for (String l : layers) {
            sb.append(", ").append(l);
        }
        return sb.append("]}}").toString();
    }

    private static String layer(String cls, String name, String config) {
        return "{'class_name': '" + cls + "', 'config': {'name': '" + name + "'" + (config.isEmpty() ? "" : ", ")
                + config + "}}";
    }

    /** Operator types, leaving out the Identity that gives a model output its layer's name. */
    private static List<String> opTypes(RModel m) {
        return m.operators().stream().map(ROperator::opType).filter(t -> !t.equals("Identity"))
                .collect(Collectors.toList());
    }

    @Test
    void flattenChannelsFirstMovesChannelsLast() {
        RModel m = importConfig("2.4.0", sequential("3, 4, 5",
                layer("Flatten", "f", "'data_format': 'channels_first'")));
        assertEquals(List.of("Transpose", "Reshape"), opTypes(m));
        assertEquals(Shape.of(4, 5, 3), m.shape(m.operators().get(0).outputs().get(0)));
        assertEquals(Shape.of(60), m.outputs().get(0).shape());
        // Flat output position (h, w, c) holds input (c, h, w).
        float[] x = new float[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] y = CompiledModel.compile(JavaEmitter.emit(m, "t", "M")).infer(1, x)[0];
        assertEquals(1 * 20 + 2 * 5 + 3, y[(2 * 5 + 3) * 3 + 1]);
    }

    @Test
    void flattenOfKeras1AndChannelsLastOnlyReshapes() {
        RModel k1 = importConfig("1.2.2", sequential("3, 4, 5", layer("Flatten", "f", "")));
        assertEquals(List.of("Reshape"), opTypes(k1));
        RModel k3 = importConfig("3.11.3", sequential("3, 4, 5",
                layer("Flatten", "f", "'data_format': 'channels_last'")));
        assertEquals(List.of("Reshape"), opTypes(k3));
    }

    @Test
    void reshapeResolvesMinusOne() {
        RModel m = importConfig("2.4.0", sequential("24", layer("Reshape", "r", "'target_shape': [2, -1, 3]")));
        assertEquals(Shape.of(2, 4, 3), m.outputs().get(0).shape());
        assertThrows(KerasImportException.class, () -> importConfig("2.4.0",
                sequential("24", layer("Reshape", "r", "'target_shape': [5, -1]"))));
    }

    @Test
    void repeatVectorTilesRows() {
        RModel m = importConfig("2.4.0", sequential("4", layer("RepeatVector", "rv", "'n': 3")));
        assertEquals(List.of("Reshape", "Tile"), opTypes(m));
        assertEquals(Shape.of(3, 4), m.outputs().get(0).shape());
    }

    @Test
    void permuteIsOneBased() {
        RModel m = importConfig("2.4.0", sequential("2, 3, 4", layer("Permute", "p", "'dims': [3, 1, 2]")));
        assertEquals(Shape.of(4, 2, 3), m.outputs().get(0).shape());
    }

    private static String functional(String inputs, String layers, String outputs) {
        return "{'class_name': 'Model', 'config': {'name': 'm', 'layers': [" + inputs + ", " + layers
                + "], 'input_layers': [['a', 0, 0], ['b', 0, 0]], 'output_layers': [" + outputs + "]}}";
    }

    private static String input(String name, String shape) {
        return "{'name': '" + name + "', 'class_name': 'InputLayer', 'config': {'name': '" + name
                + "', 'batch_input_shape': [null, " + shape + "]}, 'inbound_nodes': []}";
    }

    private static String merge(String name, String config) {
        return "{'name': '" + name + "', 'class_name': 'Merge', 'config': {'name': '" + name + "', " + config
                + "}, 'inbound_nodes': [[['a', 0, 0], ['b', 0, 0]]]}";
    }

    @Test
    void keras1MergeModes() {
        String inputs = input("a", "6") + ", " + input("b", "6");
        String layers = merge("s", "'mode': 'sum', 'mode_type': 'raw'") + ", "
                + merge("v", "'mode': 'ave', 'mode_type': 'raw'") + ", "
                + merge("c", "'mode': 'concat', 'concat_axis': -1, 'mode_type': 'raw'") + ", "
                + merge("d", "'mode': 'dot', 'dot_axes': -1, 'mode_type': 'raw'");
        RModel m = importConfig("1.2.2", functional(inputs, layers,
                "['s', 0, 0], ['v', 0, 0], ['c', 0, 0], ['d', 0, 0]"));
        assertEquals(List.of("Add", "Mean", "Concat", "MatMul"), opTypes(m));
        assertEquals(List.of(Shape.of(6), Shape.of(6), Shape.of(12), Shape.of(1)),
                m.outputs().stream().map(t -> t.shape()).collect(Collectors.toList()));
    }

    @Test
    void keras1MergeWithPythonModeIsRefused() {
        String inputs = input("a", "6") + ", " + input("b", "6");
        KerasImportException e = assertThrows(KerasImportException.class, () -> importConfig("1.2.2",
                functional(inputs, merge("l", "'mode': 'gASV', 'mode_type': 'lambda'"), "['l', 0, 0]")));
        assertTrue(e.getMessage().contains("Python function"), e.getMessage());
    }

    @Test
    void dotWithNegativeAxesCountsFromTheEnd() {
        String inputs = input("a", "5, 4") + ", " + input("b", "6, 4");
        String dot = "{'name': 'd', 'class_name': 'Dot', 'config': {'name': 'd', 'axes': -1, 'normalize': false},"
                + " 'inbound_nodes': [[['a', 0, 0], ['b', 0, 0]]]}";
        RModel m = importConfig("2.4.0", functional(inputs, dot, "['d', 0, 0]"));
        assertEquals(Shape.of(5, 6), m.outputs().get(0).shape());
    }

    @Test
    void keras1BatchNormalizationReadsRunningStdAsVariance() {
        String config = sequential("3", layer("BatchNormalization", "bn", "'mode': 0, 'axis': -1, 'epsilon': 0.001"));
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("bn_gamma", new float[] {1, 1, 1});
        w.put("bn_beta", new float[] {0, 0, 0});
        w.put("bn_running_mean", new float[] {0, 0, 0});
        w.put("bn_running_std", new float[] {4, 4, 4});
        RModel m = new KerasImporter().importModel(new SyntheticModel("1.2.2", config).weights("bn", w).write(dir));
        assertEquals(List.of("BatchNormalization"), opTypes(m));
        float[] y = CompiledModel.compile(JavaEmitter.emit(m, "t", "M")).infer(1, new float[] {2, -4, 8})[0];
        double k = 1 / Math.sqrt(4.001);
        assertArrayEquals(new float[] {(float) (2 * k), (float) (-4 * k), (float) (8 * k)}, y, 1e-6f);
    }

    @Test
    void keras1BatchNormalizationOfBatchStatisticsIsRefused() {
        String config = sequential("3", layer("BatchNormalization", "bn", "'mode': 2, 'axis': -1"));
        KerasImportException e = assertThrows(KerasImportException.class, () -> importConfig("1.2.2", config));
        assertTrue(e.getMessage().contains("mode 2"), e.getMessage());
    }

    @Test
    void keras10BatchNormalizationIsRefusedAsAmbiguous() {
        String config = sequential("3", layer("BatchNormalization", "bn", "'mode': 0, 'axis': -1"));
        KerasImportException e = assertThrows(KerasImportException.class, () -> importConfig("1.0.6", config));
        assertTrue(e.getMessage().contains("running_std"), e.getMessage());
    }

    @Test
    void modelsNestedTwoDeepInASequentialFindTheirWeights() {
        String d1 = "{'class_name': 'Dense', 'config': {'name': 'd1', 'units': 3, 'activation': 'linear', "
                + "'use_bias': true}}";
        String s2 = "{'class_name': 'Sequential', 'name': 's2', 'config': {'name': 's2', 'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'name': 's2_in', 'batch_input_shape': [null, 4]}}, "
                + d1 + "]}, 'inbound_nodes': [[['fin', 0, 0, {}]]]}";
        String d2 = "{'class_name': 'Dense', 'name': 'd2', 'config': {'name': 'd2', 'units': 2, "
                + "'activation': 'linear', 'use_bias': true}, 'inbound_nodes': [[['s2', 0, 0, {}]]]}";
        String f1 = "{'class_name': 'Functional', 'config': {'name': 'f1', 'layers': ["
                + input("fin", "4") + ", " + s2 + ", " + d2 + "], 'input_layers': [['fin', 0, 0]], "
                + "'output_layers': [['d2', 0, 0]]}}";
        String config = sequential("4", f1, layer("Dense", "d3", "'units': 2, 'activation': 'linear'"));
        float[][] k1 = {{1, 2, 0}, {0, 1, -1}, {2, 0, 1}, {-1, 1, 1}};
        float[] b1 = {0.5f, -1, 0};
        float[][] k2 = {{1, -1}, {2, 0}, {0, 3}};
        float[] b2 = {0, 1};
        float[][] k3 = {{1, 1}, {-1, 2}};
        float[] b3 = {3, -2};
        Map<String, Object> f1Weights = new LinkedHashMap<>();
        f1Weights.put("d1/kernel:0", k1);
        f1Weights.put("d1/bias:0", b1);
        f1Weights.put("d2/kernel:0", k2);
        f1Weights.put("d2/bias:0", b2);
        Map<String, Object> d3Weights = new LinkedHashMap<>();
        d3Weights.put("d3/kernel:0", k3);
        d3Weights.put("d3/bias:0", b3);
        RModel m = new KerasImporter().importModel(new SyntheticModel("2.4.0", config)
                .weightPaths("f1", f1Weights).weightPaths("d3", d3Weights).write(dir));
        float[] x = {1, -2, 0.5f, 3};
        float[] expected = dense(dense(dense(x, k1, b1), k2, b2), k3, b3);
        float[] y = CompiledModel.compile(JavaEmitter.emit(m, "t", "M")).infer(1, x)[0];
        assertArrayEquals(expected, y, 1e-5f);
    }

    private static float[] dense(float[] x, float[][] k, float[] b) {
        float[] y = b.clone();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                y[j] += x[i] * k[i][j];
            }
        }
        return y;
    }
}
