package io.sofie.keras.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.StringData;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy HDF5 reader on the variations real Keras files show, in files written here with jhdf (and, for what
 * jhdf cannot write, byte-patched): the values compared are the ones stored in the file.
 */
class LegacyHdf5Test {
    private static final float[] KERNEL = {1f, 2f, 3f, 4f, 5f, 6f};
    private static final float[] BIAS = {0.5f, -0.5f, 0.25f};

    @TempDir
    Path dir;

    private static List<KerasWeight> weightsOf(Path file, String layer) {
        try (KerasModelFile m = KerasModelFile.open(file)) {
            return m.weights().weightsOf(layer);
        }
    }

    private static void assertDenseWeights(List<KerasWeight> w, float[] kernel, float[] bias) {
        assertEquals(2, w.size());
        assertEquals(io.sofie.model.Shape.of(2, 3), w.get(0).shape());
        assertArrayEquals(kernel, w.get(0).data());
        assertArrayEquals(bias, w.get(1).data());
    }

    @Test
    void layerNamesSplitIntoChunksAreJoined() {
        KerasH5Writer k = new KerasH5Writer();
        k.chunkedLayerNames = true;
        Path file = k.write(dir.resolve("chunked.h5"));
        try (HdfFile f = new HdfFile(file)) {
            assertEquals(List.of("input_1", "dense_1"),
                    H5Arrays.stringList(f.getChild("model_weights"), "layer_names"));
            assertEquals(null, H5Arrays.stringList(f.getChild("model_weights"), "no_such_attribute"));
        }
        assertDenseWeights(weightsOf(file, "dense_1"), KERNEL, BIAS);
    }

    @Test
    void float64WeightsAreConverted() {
        KerasH5Writer k = new KerasH5Writer();
        k.kernel = new double[][] {{1.5, 2.5, 3.5}, {4.5, 5.5, 1e-40}};
        k.bias = new double[] {0.1, -0.2, 0.3};
        Path file = k.write(dir.resolve("f64.h5"));
        assertDenseWeights(weightsOf(file, "dense_1"), new float[] {1.5f, 2.5f, 3.5f, 4.5f, 5.5f, (float) 1e-40},
                new float[] {0.1f, -0.2f, 0.3f});
    }

    @Test
    void chunkedAndCompressedWeightsAreRead() {
        KerasH5Writer k = new KerasH5Writer();
        k.options = DatasetCreationOptions.builder().chunkDimensions(1).shuffle().deflate(6).build();
        k.kernel = new float[] {1f, 2f, 3f, 4f, 5f, 6f};
        k.weightNames = new String[] {"dense_1/kernel:0", "dense_1/bias:0"};
        Path file = k.write(dir.resolve("deflate.h5"));
        try (HdfFile f = new HdfFile(file)) {
            assertEquals("CHUNKED", f.getDatasetByPath("model_weights/dense_1/dense_1/kernel:0").getDataLayout()
                    .toString());
        }
        List<KerasWeight> w = weightsOf(file, "dense_1");
        assertArrayEquals(KERNEL, w.get(0).data());
        assertArrayEquals(BIAS, w.get(1).data());
    }

    @Test
    void bigEndianWeightsAreRead() throws IOException {
        KerasH5Writer k = new KerasH5Writer();
        k.kernel = new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}};
        k.bias = new float[] {0.5f, -0.5f, 0.25f};
        byte[] file = Files.readAllBytes(k.write(dir.resolve("le.h5")));
        // Store both datasets' bytes big-endian and mark their datatypes so.
        Hdf5Patch.replaceData(file, floatBytes(KERNEL, ByteOrder.LITTLE_ENDIAN),
                floatBytes(KERNEL, ByteOrder.BIG_ENDIAN));
        Hdf5Patch.replaceData(file, floatBytes(BIAS, ByteOrder.LITTLE_ENDIAN), floatBytes(BIAS, ByteOrder.BIG_ENDIAN));
        assertEquals(2, Hdf5Patch.replaceInHeaders(file, Hdf5Patch.FLOAT32_LE, Hdf5Patch.FLOAT32_BE));
        Path be = Files.write(dir.resolve("be.h5"), file);
        assertDenseWeights(weightsOf(be, "dense_1"), KERNEL, BIAS);
    }

    @Test
    void halfPrecisionWeightsAreRead() throws IOException {
        // Half-precision bit patterns of 1, -2, 0.5, 65504, 2^-24 (smallest subnormal), 0.333251953125.
        short[] halves = {0x3c00, (short) 0xc000, 0x3800, 0x7bff, 0x0001, 0x3555};
        float[] expected = {1f, -2f, 0.5f, 65504f, (float) Math.pow(2, -24), 0.333251953125f};
        // Write float32 placeholders whose first 12 bytes are the six halves, then retype the datasets as float16.
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : halves) {
            b.putShort(h);
        }
        b.rewind();
        float[] placeholder = new float[6];
        b.asFloatBuffer().get(placeholder);
        KerasH5Writer k = new KerasH5Writer();
        k.weightNames = new String[] {"dense_1/kernel:0"};
        k.kernel = placeholder;
        byte[] file = Files.readAllBytes(k.write(dir.resolve("f32.h5")));
        Hdf5Patch.replaceInHeaders(file, Hdf5Patch.FLOAT32_LE, Hdf5Patch.FLOAT16_LE);
        Path f16 = Files.write(dir.resolve("f16.h5"), file);
        List<KerasWeight> w = weightsOf(f16, "dense_1");
        assertEquals(1, w.size());
        assertArrayEquals(expected, w.get(0).data());
    }

    @Test
    void nonAsciiNamesLabelledAsciiAreDecodedAsUtf8() throws IOException {
        String name = "dénse_ß_層";
        Path written = dir.resolve("utf8.h5");
        // Only attributes: jhdf 0.13's writer corrupts groups whose link names are not ASCII.
        try (WritableHdfFile f = HdfFile.write(written)) {
            f.putAttribute("model_config", "{\"name\": \"" + name + "\"}");
            f.putGroup("model_weights").putAttribute("layer_names", new String[] {"input_1", name});
        }
        byte[] file = Files.readAllBytes(written);
        // jhdf labels its strings UTF-8; h5py labels Keras's encoded names ASCII. Relabel every string ASCII.
        int relabelled = 0;
        for (int size = 1; size < 2048; size++) {
            byte[] utf8 = Hdf5Patch.bytes(0x13, 0x10, 0, 0, size & 0xff, size >> 8, 0, 0);
            if (!Hdf5Patch.occurrences(file, utf8).isEmpty()) {
                relabelled += Hdf5Patch.replaceInHeaders(file, utf8,
                        Hdf5Patch.bytes(0x13, 0x00, 0, 0, size & 0xff, size >> 8, 0, 0));
            }
        }
        assertTrue(relabelled >= 2, "string datatypes relabelled: " + relabelled); // also jhdf's own _jHDF
        Path ascii = Files.write(dir.resolve("ascii.h5"), file);
        try (HdfFile f = new HdfFile(ascii)) {
            Node weights = f.getChild("model_weights");
            // The trap itself: jhdf decodes ASCII-labelled bytes as ASCII, losing every non-ASCII character.
            assertEquals(StandardCharsets.US_ASCII,
                    ((StringData) weights.getAttribute("layer_names").getDataType()).getCharset());
            assertNotEquals(name, ((String[]) weights.getAttribute("layer_names").getData())[1]);
            assertEquals(List.of("input_1", name), H5Arrays.stringList(weights, "layer_names"));
            assertEquals("{\"name\": \"" + name + "\"}", H5Arrays.string(f, "model_config"));
        }
    }

    @Test
    void keras3ShortWeightNamesAndTrainingStateAreHandled() {
        // Keras 3.0-3.2 wrote weight_names as bare variable names; compiled models carry optimizer state.
        KerasH5Writer k = new KerasH5Writer();
        k.kerasVersion = "3.1.0";
        k.weightNames = new String[] {"kernel", "bias"};
        k.trainingState = true;
        Path file = k.write(dir.resolve("k31.h5"));
        try (KerasModelFile m = KerasModelFile.open(file)) {
            assertEquals("3.1.0", m.kerasVersion());
            assertEquals("Keras 3 HDF5", m.format());
            assertDenseWeights(m.weights().weightsOf("dense_1"), KERNEL, BIAS);
            assertEquals(List.of(), m.weights().weightsOf("input_1"));
        }
    }

    private static byte[] floatBytes(float[] values, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
