package io.sofie.keras.reader;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The three members of a Keras 3 {@code .keras} zip that matter here: {@code config.json} (the model, as
 * {@code serialize_keras_object} writes it), {@code metadata.json} ({@code keras_version}) and
 * {@code model.weights.h5}. Assets are ignored; a {@code model.weights.npz} archive is refused by name.
 */
final class KerasArchive {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    private static final long MAX_MEMBER = Integer.MAX_VALUE - 8;

    final String config;
    final String metadata;
    final byte[] weights;

    private KerasArchive(String config, String metadata, byte[] weights) {
        this.config = config;
        this.metadata = metadata;
        this.weights = weights;
    }

    static KerasArchive read(Path path, String name) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            byte[] config = member(zip, CONFIG, name);
            if (config == null) {
                throw KerasImportException.ofFile(name, "is a zip archive without " + CONFIG
                        + ", so not a Keras model: give the file written by model.save('name.keras')");
            }
            byte[] weights = member(zip, WEIGHTS, name);
            if (weights == null) {
                String why = zip.getEntry("model.weights.npz") != null
                        ? "stores its weights as model.weights.npz, which is not supported: save it with "
                                + "model.save('name.keras') and the default weights format (h5)"
                        : "has no " + WEIGHTS + ": the archive is incomplete; save the model again with "
                                + "model.save('name.keras')";
                throw KerasImportException.ofFile(name, why);
            }
            byte[] metadata = member(zip, METADATA, name);
            return new KerasArchive(new String(config, StandardCharsets.UTF_8),
                    metadata == null ? null : new String(metadata, StandardCharsets.UTF_8), weights);
        } catch (ZipException e) {
            throw KerasImportException.ofFile(name, "is not a complete zip archive (" + e.getMessage()
                    + "); the .keras file is truncated or corrupt: copy it again or save the model again", e);
        } catch (IOException e) {
            throw KerasImportException.ofFile(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static KerasImportException tooLarge(String name, String entryName, long size, long limit) {
        return KerasImportException.ofFile(name, entryName + " in the archive unpacks to "
                + (size < 0 ? "more than " + MemoryBudget.megabytes(limit) : MemoryBudget.megabytes(size))
                + ", more than can be read" + (limit < MAX_MEMBER ? ": " + MemoryBudget.limitAdvice()
                        : " (members over 2 GB are not supported)"));
    }

    private static byte[] member(ZipFile zip, String entryName, String name) throws IOException {
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) {
            return null;
        }
        long limit = Math.min(MAX_MEMBER, MemoryBudget.maxBytes());
        if (e.getSize() > limit) {
            throw tooLarge(name, entryName, e.getSize(), limit);
        }
        try (InputStream in = zip.getInputStream(e)) {
            // The recorded size may lie (a zip bomb inflates far beyond it): read no more than the limit allows.
            byte[] data = in.readNBytes((int) Math.min(limit, MAX_MEMBER));
            if (in.read() >= 0) {
                throw tooLarge(name, entryName, -1, limit);
            }
            return data;
        } catch (ZipException | java.io.EOFException ex) {
            throw KerasImportException.ofFile(name, entryName + " in the archive cannot be unpacked ("
                    + ex.getMessage() + "); the .keras file is corrupt: save the model again", ex);
        }
    }
}
