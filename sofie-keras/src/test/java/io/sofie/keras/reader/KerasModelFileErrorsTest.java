package io.sofie.keras.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not Keras models, or broken ones: each is refused with a message naming the file and the fix. */
class KerasModelFileErrorsTest {
    @TempDir
    Path dir;

    private static Path fixture(String caseName, String file) {
        return ArchiveWeightSourceTest.keras3Fixtures().resolve(caseName).resolve(file);
    }

    /** Opening fails with a KerasImportException about the whole file whose message contains {@code expected}. */
    private static KerasImportException refused(Path file, String expected) {
        KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModelFile.open(file).close());
        assertEquals(file.getFileName().toString(), e.file());
        assertNull(e.layerName());
        assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        // The importer passes the same error on unchanged.
        KerasImportException viaImporter = assertThrows(KerasImportException.class,
                () -> new KerasImporter().importModel(file));
        assertEquals(e.getMessage(), viaImporter.getMessage());
        return e;
    }

    private Path zip(String name, String... membersAndContents) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < membersAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(membersAndContents[i]));
                z.write(membersAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return p;
    }

    private Path truncated(Path source, String name, int keep) throws IOException {
        byte[] all = Files.readAllBytes(source);
        return Files.write(dir.resolve(name), Arrays.copyOf(all, keep));
    }

    @Test
    void neitherHdf5NorZip() throws IOException {
        refused(Files.writeString(dir.resolve("model.h5"), "not a model at all"),
                "is neither an HDF5 file nor a Keras zip archive");
        refused(Files.writeString(dir.resolve("model.keras"), "not a zip either"),
                "is not a zip archive, so not a Keras 3 .keras file");
        refused(Files.write(dir.resolve("empty.h5"), new byte[0]), "is empty");
    }

    @Test
    void truncatedHdf5() throws IOException {
        Path source = fixture("sequential_mlp", "model.h5");
        long size = Files.size(source);
        refused(truncated(source, "half.h5", (int) size / 2), "truncated");
        refused(truncated(source, "nearly.h5", (int) size - 1), "truncated");
        refused(truncated(source, "header.h5", 40), "truncated");
    }

    @Test
    void truncatedArchive() throws IOException {
        Path source = fixture("sequential_mlp", "model.keras");
        refused(truncated(source, "half.keras", (int) Files.size(source) / 2), "is not a complete zip archive");
    }

    @Test
    void zipWithoutConfig() throws IOException {
        refused(zip("other.keras", "readme.txt", "hello"), "is a zip archive without config.json");
        refused(zip("other.zip", "readme.txt", "hello"), "is a zip archive without config.json");
    }

    @Test
    void archiveWithoutWeights() throws IOException {
        refused(zip("noweights.keras", "config.json", "{}", "metadata.json", "{}"), "has no model.weights.h5");
        refused(zip("npz.keras", "config.json", "{}", "model.weights.npz", "x"),
                "stores its weights as model.weights.npz");
    }

    @Test
    void archiveWithBrokenWeightsFile() throws IOException {
        refused(zip("badweights.keras", "config.json", "{}", "model.weights.h5", "garbage"),
                "holds a model.weights.h5 that is not an HDF5 file");
    }

    @Test
    void weightsOnlyHdf5WithoutJson() {
        Path weights = dir.resolve("tagger.h5");
        try (WritableHdfFile f = HdfFile.write(weights)) {
            f.putAttribute("layer_names", new String[] {"dense_1"});
            f.putGroup("dense_1").putAttribute("weight_names", new String[] {"dense_1/kernel:0"});
        }
        KerasImportException e = refused(weights, "holds weights only (no model_config attribute)");
        assertTrue(e.getMessage().contains("tagger.json"), e.getMessage());
    }

    @Test
    void jsonWithoutWeights() throws IOException {
        Path json = Files.writeString(dir.resolve("tagger.json"), "{\"class_name\": \"Sequential\"}");
        KerasImportException e = refused(json, "is an architecture JSON without a weights file");
        assertTrue(e.getMessage().contains("tagger.h5 or tagger.weights.h5"), e.getMessage());
    }
}
