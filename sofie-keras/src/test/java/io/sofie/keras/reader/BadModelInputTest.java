package io.sofie.keras.reader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import io.sofie.keras.MemoryBudget;
import io.sofie.model.RModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.emit.JavaNames;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input beyond a broken container (see {@link KerasModelFileErrorsTest}): layers the importer cannot translate,
 * weights that contradict the config, names that are not Java identifiers, and sizes no JVM could hold. Each bad
 * file is a good keras3 fixture with one thing changed; each ends in one KerasImportException naming the file (and
 * the layer), what is wrong and what to do.
 */
class BadModelInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path fixture(String caseName, String file) {
        return ArchiveWeightSourceTest.keras3Fixtures().resolve(caseName).resolve(file);
    }

    /** The case's model.keras with its config.json edited, saved as {@code fileName}. */
    private Path editedKeras(String caseName, String fileName, Consumer<ObjectNode> edit) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(
                Files.readAllBytes(fixture(caseName, "model.keras"))))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                members.put(e.getName(), in.readAllBytes());
            }
        }
        ObjectNode config = (ObjectNode) JSON.readTree(members.get("config.json"));
        edit.accept(config);
        members.put("config.json", JSON.writeValueAsBytes(config));
        Path out = dir.resolve(fileName);
        try (OutputStream o = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                z.putNextEntry(new ZipEntry(m.getKey()));
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return out;
    }

    /** The entry {@code {"module", "class_name", "config", ...}} of the layer named {@code name}. */
    private static ObjectNode layer(ObjectNode model, String name) {
        for (JsonNode l : model.path("config").path("layers")) {
            if (name.equals(l.path("config").path("name").asText())) {
                return (ObjectNode) l;
            }
        }
        throw new AssertionError("no layer " + name);
    }

    /** Importing fails with one KerasImportException about {@code layerName} whose message says {@code says}. */
    private static KerasImportException refused(Path file, String layerName, String layerClass, String... says) {
        KerasImportException e = assertThrows(KerasImportException.class, () -> new KerasImporter().importModel(file));
        String name = file.getFileName().toString();
        assertEquals(name, e.file());
        assertEquals(layerName, e.layerName(), e.getMessage());
        assertEquals(layerClass, e.layerClass(), e.getMessage());
        String prefix = layerName == null ? name + ": " : name + ": layer '" + layerName + "' (" + layerClass + "): ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        for (String s : says) {
            assertTrue(e.getMessage().contains(s), "missing '" + s + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void unsupportedLayerNamesLayerClassAndTheSupportedClasses() throws IOException {
        Path file = editedKeras("sequential_mlp", "fancy.keras",
                c -> layer(c, "dropout").put("class_name", "FancyLayer"));
        KerasImportException e = refused(file, "dropout", "FancyLayer", "layer class FancyLayer is not supported",
                "Supported classes: ", "rebuild the model from supported layers");
        assertTrue(e.isUnsupportedLayer());
        for (String cls : new KerasImporter().supportedLayers()) {
            assertTrue(e.getMessage().contains(cls), cls + " missing from the supported list: " + e.getMessage());
        }
    }

    @Test
    void lambdaLayerIsRefusedWithoutTouchingItsCode() throws IOException {
        // Not base64 and not marshal data: any attempt to decode it would fail differently than the refusal.
        Path file = editedKeras("sequential_mlp", "lambda.keras", c -> {
            ObjectNode l = layer(c, "dropout");
            l.put("class_name", "Lambda");
            ObjectNode fn = ((ObjectNode) l.get("config")).putObject("function");
            fn.put("class_name", "__lambda__");
            fn.putObject("config").put("code", "%%% not base64, never decoded %%%").putNull("defaults");
        });
        KerasImportException e = refused(file, "dropout", "Lambda", "is a Lambda layer",
                "never run or decoded", "replace the Lambda with built-in layers");
        assertTrue(e.isUnsupportedLayer());
        assertNull(e.getCause());
    }

    /** No source of the importer decodes Python code: no Base64, no marshal, no read of a Lambda's function. */
    @Test
    void importerSourcesHoldNoCodeDecoding() throws IOException {
        Path main = Path.of("src", "main", "java");
        assumeTrue(Files.isDirectory(main), "run from the sofie-keras module");
        try (Stream<Path> files = Files.walk(main)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                String src;
                try {
                    src = Files.readString(p);
                } catch (IOException ex) {
                    throw new AssertionError(ex);
                }
                for (String banned : new String[] {"Base64", "marshal", "(\"function\")", "\"function_type\""}) {
                    assertFalse(src.contains(banned), p + " contains " + banned);
                }
            });
        }
    }

    @Test
    void customLayerIsCalledACustomLayer() throws IOException {
        Path file = editedKeras("sequential_mlp", "custom.keras", c -> {
            ObjectNode l = layer(c, "dropout");
            l.put("module", "my_project.layers");
            l.put("class_name", "Scaler");
            l.put("registered_name", "MyProject>Scaler");
        });
        KerasImportException e = refused(file, "dropout", "Scaler", "is a custom layer (class Scaler from Python "
                + "module 'my_project.layers', registered as 'MyProject>Scaler')", "its Python code is not in the file",
                "Supported classes: ");
        assertTrue(e.isUnsupportedLayer());
    }

    /** A custom class that shares a built-in's name is still custom: its Python code may do anything. */
    @Test
    void customLayerNamedLikeABuiltInIsNotTranslatedAsTheBuiltIn() throws IOException {
        Path file = editedKeras("sequential_mlp", "custom_dense.keras", c -> {
            ObjectNode l = layer(c, "dense");
            l.put("module", "my_project.layers");
            l.put("registered_name", "MyProject>Dense");
        });
        refused(file, "dense", "Dense", "is a custom layer (class Dense from Python module 'my_project.layers'");
    }

    @Test
    void weightsWhoseShapeContradictsTheConfig() throws IOException {
        Path file = editedKeras("sequential_mlp", "units.keras",
                c -> ((ObjectNode) layer(c, "dense").get("config")).put("units", 31));
        refused(file, "dense", "Dense", "has shape (16, 32) but the config implies (16, 31)",
                "the weights do not match the config; save the model again");
    }

    @Test
    void weightsWhoseShapeContradictsTheConfigInHdf5() {
        KerasH5Writer w = new KerasH5Writer();
        w.kernel = new float[][] {{1f, 2f, 3f}, {4f, 5f, 6f}, {7f, 8f, 9f}};
        Path file = w.write(dir.resolve("tagger.h5"));
        refused(file, "dense_1", "Dense", "weight 'dense_1/kernel:0' has shape (3, 3) but the config implies (2, 3)",
                "the weights do not match the config");
    }

    /** Layer names become Java names only after sanitising: a keyword, a leading digit, a dash all generate. */
    @ParameterizedTest
    @ValueSource(strings = {"class", "1x", "a-b", "int", "ünïcödé"})
    void layerNamesThatAreNotJavaIdentifiersStillGenerateAndCompile(String layerName) {
        KerasH5Writer w = new KerasH5Writer();
        w.layerName = layerName;
        w.inputGroup = false;
        w.weightNames = new String[] {layerName + "/kernel:0", layerName + "/bias:0"};
        Path file = w.write(dir.resolve("names.h5"));
        RModel model = new KerasImporter().importModel(file);
        CompiledModel compiled = CompiledModel.compile(JavaEmitter.emit(Optimizer.optimize(model), "com.example",
                JavaNames.classNameForFile(file.getFileName().toString())));
        assertArrayEquals(new String[] {layerName}, (String[]) compiled.contractField("OUTPUT_NAMES"));
        // y = x K + b with x = (1, 2), K = ((1, 2, 3), (4, 5, 6)), b = (0.5, -0.5, 0.25)
        assertArrayEquals(new float[] {9.5f, 11.5f, 15.25f}, compiled.infer(1, new float[] {1f, 2f})[0]);
    }

    /** A weight whose header declares 2^40 values: refused from the header, before jhdf allocates anything. */
    @Test
    void weightDeclaringMoreValuesThanAJavaArrayIsRefusedBeforeReading() throws IOException {
        Path file = withKernelDims(1L << 20, 1L << 20);
        KerasImportException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> refused(file, "dense_1", "Dense", "declares the shape [1048576, 1048576]",
                        "nothing was allocated", "raise the heap with -Xmx", "else the file is corrupt"));
        assertFalse(e.isUnsupportedLayer());
    }

    /** A weight small enough for a Java array but too large for this JVM's heap: refused from the header too. */
    @Test
    void weightLargerThanTheHeapAllowsIsRefusedBeforeReading() throws IOException {
        long values = MemoryBudget.maxBytes() / 4 + 1; // as float32 alone it needs more than the budget
        assumeTrue(values < Integer.MAX_VALUE - 8, "heap too large to make this case with one Java array");
        Path file = withKernelDims(2, (values + 1) / 2);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refused(file, "dense_1", "Dense",
                "that would need", "nothing was allocated", "this JVM allows " + MemoryBudget.megabytes(
                        MemoryBudget.maxBytes())));
    }

    /** The (2, 3) kernel of {@link KerasH5Writer} with its dataspace rewritten to declare other dimensions. */
    private Path withKernelDims(long rows, long cols) throws IOException {
        byte[] bytes = Files.readAllBytes(new KerasH5Writer().write(dir.resolve("plain.h5")));
        Hdf5Patch.replaceInHeaders(bytes, dims(2, 3), dims(rows, cols));
        return Files.write(dir.resolve("huge.h5"), bytes);
    }

    private static byte[] dims(long... d) {
        ByteBuffer b = ByteBuffer.allocate(8 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : d) {
            b.putLong(v);
        }
        return b.array();
    }

    /** An input of 2 billion values per sample: refused at the InputLayer, before any layer or buffer. */
    @Test
    void inputShapeBeyondTheHeapIsRefusedAtTheInputLayer() throws IOException {
        Path file = editedKeras("sequential_mlp", "wide.keras", c -> ((ObjectNode) layer(c, "input_layer")
                .get("config")).putArray("batch_shape").addNull().add(2_000_000_000));
        refused(file, "input_layer", "InputLayer", "its input shape (2000000000) brings the activations of a "
                + "single sample to 7,630 MB", "generated code could not allocate them", "raise the heap");
    }

    /** A layer whose output would be 2 billion floats (8 GB) per sample: refused at that layer, naming it. */
    @Test
    void layerOutputBeyondTheHeapIsRefusedAtThatLayer() throws IOException {
        assumeTrue(MemoryBudget.maxBytes() < 8_000_000_000L, "heap over 16 GB: 8 GB per sample would fit");
        Path file = editedKeras("time_distributed_repeat", "repeat.keras",
                c -> ((ObjectNode) layer(c, "repeat_vector").get("config")).put("n", 500_000_000));
        refused(file, "repeat_vector", "RepeatVector", "its output shape (500000000, 4) brings the activations",
                "raise the heap");
    }

    @Test
    void inputShapeWithANonPositiveDimension() throws IOException {
        Path file = editedKeras("sequential_mlp", "zero.keras", c -> ((ObjectNode) layer(c, "input_layer")
                .get("config")).putArray("batch_shape").addNull().add(-3));
        refused(file, "input_layer", "InputLayer", "dimension -3 is not a positive integer",
                "save the model again");
    }
}
