package com.example.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras's own inputs and outputs for a model, read from a reference.txt test resource (copied from the fixture's
 * reference.h5 by it/src/tools/ReferenceToText.java): lines {@code input|output <name> <dims...>} each followed by
 * one line of whitespace-separated floats, row-major with the batch first, and an {@code atol} line.
 */
final class Reference {
    final double atol;
    final List<String> inputNames = new ArrayList<>();
    final List<int[]> inputDims = new ArrayList<>();
    final List<float[]> inputs = new ArrayList<>();
    final List<String> outputNames = new ArrayList<>();
    final List<int[]> outputDims = new ArrayList<>();
    final List<float[]> outputs = new ArrayList<>();

    private Reference(double atol) {
        this.atol = atol;
    }

    static Reference load(String resource) throws IOException {
        try (InputStream in = Reference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " not found");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Reference ref = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] t = line.trim().split("\\s+");
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                } else if (t[0].equals("atol")) {
                    ref = new Reference(Double.parseDouble(t[1]));
                } else if (t[0].equals("input") || t[0].equals("output")) {
                    int[] dims = new int[t.length - 2];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = Integer.parseInt(t[i + 2]);
                    }
                    String[] v = r.readLine().trim().split("\\s+");
                    float[] values = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        values[i] = Float.parseFloat(v[i]);
                    }
                    assertEquals(Arrays.stream(dims).reduce(1, (a, b) -> a * b), values.length, line);
                    boolean input = t[0].equals("input");
                    (input ? ref.inputNames : ref.outputNames).add(t[1]);
                    (input ? ref.inputDims : ref.outputDims).add(dims);
                    (input ? ref.inputs : ref.outputs).add(values);
                } else {
                    throw new IOException(resource + ": unexpected line " + line);
                }
            }
            return ref;
        }
    }

    int batch() {
        return inputDims.get(0)[0];
    }

    float[][] inputArrays() {
        return inputs.toArray(new float[0][]);
    }

    /** Per-sample shape (batch left out) of input or output {@code i}. */
    static int[] perSample(int[] dims) {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /** Every element of every output within atol of Keras's value. */
    void assertOutputsMatch(float[][] actual) {
        assertEquals(outputs.size(), actual.length, "number of outputs");
        for (int o = 0; o < outputs.size(); o++) {
            float[] want = outputs.get(o);
            float[] got = actual[o];
            assertEquals(want.length, got.length, "length of output " + outputNames.get(o));
            double worst = 0;
            int worstAt = -1;
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs((double) want[i] - got[i]);
                if (!(d <= worst)) {
                    worst = d;
                    worstAt = i;
                }
            }
            String where = worstAt < 0 ? "" : String.format(Locale.ROOT, " at %d: Keras %s, generated %s",
                    worstAt, want[worstAt], got[worstAt]);
            assertTrue(worst <= atol, "output " + outputNames.get(o) + " differs from Keras by " + worst
                    + " (atol " + atol + ")" + where);
        }
    }

    void assertShapes(int[][] inputShapes, int[][] outputShapes) {
        assertEquals(inputDims.size(), inputShapes.length, "number of inputs");
        for (int i = 0; i < inputShapes.length; i++) {
            assertArrayEquals(perSample(inputDims.get(i)), inputShapes[i], "shape of input " + i);
        }
        assertEquals(outputDims.size(), outputShapes.length, "number of outputs");
        for (int i = 0; i < outputShapes.length; i++) {
            assertArrayEquals(perSample(outputDims.get(i)), outputShapes[i], "shape of output " + i);
        }
    }
}
