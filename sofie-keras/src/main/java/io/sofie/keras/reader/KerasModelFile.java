package io.sofie.keras.reader;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jhdf.HdfFile;
import io.sofie.keras.KerasImportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A Keras model as stored on disk, in any of the forms Keras writes: a full-model HDF5 file ({@code model.save},
 * Keras 1, 2 and 3), a Keras 3 zip archive ({@code .keras}), or an architecture JSON beside a weights-only HDF5
 * file. Open it, translate it, close it.
 */
public final class KerasModelFile implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String fileName;
    private final String format;
    private final String kerasVersion;
    private final String backend;
    private final JsonNode modelConfig;
    private final WeightSource weights;
    private final AutoCloseable resource;

    private KerasModelFile(String fileName, String format, String kerasVersion, String backend,
            JsonNode modelConfig, WeightSource weights, AutoCloseable resource) {
        this.fileName = fileName;
        this.format = format;
        this.kerasVersion = kerasVersion;
        this.backend = backend;
        this.modelConfig = modelConfig;
        this.weights = CheckedWeightSource.of(weights);
        this.resource = resource;
    }

    /**
     * Opens a model file, choosing the reader by its content: HDF5 ({@code model.save} in Keras 1, 2 and 3, or
     * weights-only beside an architecture JSON), a Keras 3 zip archive ({@code .keras}), or an architecture JSON
     * ({@code .json}, paired with its weights as {@link SplitPairing} says).
     */
    public static KerasModelFile open(Path path) {
        String name = path.getFileName().toString();
        if (!Files.isRegularFile(path)) {
            throw KerasImportException.ofFile(name, "file not found: " + path);
        }
        try {
            return openByContent(path, name);
        } catch (KerasImportException e) {
            throw e;
        } catch (FileContentException e) {
            throw KerasImportException.ofFile(name, e.getMessage(), e);
        } catch (RuntimeException e) {
            if (Hdf5Files.isJhdfFailure(e)) {
                throw KerasImportException.ofFile(name, Hdf5Files.damaged("", e), e);
            }
            throw e;
        }
    }

    private static KerasModelFile openByContent(Path path, String name) {
        byte[] head = head(path, name);
        String lower = name.toLowerCase(Locale.ROOT);
        if (Hdf5Files.hasSignature(head)) {
            return openHdf5(path, name);
        }
        if (isZip(head)) {
            return openArchive(path, name);
        }
        if (lower.endsWith(".json")) {
            return openSplit(path, name);
        }
        if (head.length == 0) {
            throw KerasImportException.ofFile(name, "is empty: save the model again with model.save");
        }
        if (lower.endsWith(".keras")) {
            throw KerasImportException.ofFile(name, "is not a zip archive, so not a Keras 3 .keras file (it may "
                    + "be truncated or corrupt): save the model again with model.save('name.keras')");
        }
        throw KerasImportException.ofFile(name, "is neither an HDF5 file nor a Keras zip archive: give a model "
                + "saved by Keras with model.save('name.h5') or model.save('name.keras'), or an architecture JSON "
                + "(model.to_json()) beside its weights");
    }

    private static byte[] head(Path path, String name) {
        try (java.io.InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw KerasImportException.ofFile(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** A local file header or, for an empty archive, the end-of-central-directory record. */
    private static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    private static KerasModelFile openArchive(Path path, String name) {
        KerasArchive archive = KerasArchive.read(path, name);
        JsonNode config = parseJson(name, archive.config);
        String version = null;
        if (archive.metadata != null) {
            version = parseJson(name, archive.metadata)
                    .path("keras_version").asText(null);
        }
        HdfFile hdf = Hdf5Files.open(archive.weights, name, KerasArchive.WEIGHTS,
                "save the model again with model.save('name.keras')");
        try {
            WeightSource weights = ArchiveWeightSource.forModel(hdf, config);
            return new KerasModelFile(name, "Keras 3 archive (.keras)", version, null, config, weights, hdf);
        } catch (RuntimeException e) {
            hdf.close();
            if (Hdf5Files.isJhdfFailure(e)) {
                throw KerasImportException.ofFile(name, Hdf5Files.damaged("holds a " + KerasArchive.WEIGHTS
                        + " that ", e), e);
            }
            throw e;
        }
    }

    private static KerasModelFile openHdf5(Path path, String name) {
        HdfFile hdf = Hdf5Files.open(path, name, "save the model again with model.save");
        try {
            String config = H5Arrays.string(hdf, "model_config");
            if (config == null) {
                Optional<Path> json = SplitPairing.architectureFor(path);
                if (json.isEmpty()) {
                    throw KerasImportException.ofFile(name, "holds weights only (no model_config attribute): "
                            + "put the architecture JSON written by model.to_json() beside it, named "
                            + SplitPairing.expectedJsonNames(path));
                }
                hdf.close();
                return openSplit(json.get(), json.get().getFileName().toString());
            }
            JsonNode modelConfig = parseJson(name, config);
            String version = H5Arrays.string(hdf, "keras_version");
            String backend = H5Arrays.string(hdf, "backend");
            io.jhdf.api.Node weightsGroup = hdf.getChildren().get("model_weights");
            if (!(weightsGroup instanceof io.jhdf.api.Group)) {
                throw KerasImportException.ofFile(name, "has a model_config but no model_weights group: "
                        + "save the model with model.save(...) including its weights");
            }
            String major = version == null || version.isEmpty() ? "?" : version.substring(0, 1);
            return new KerasModelFile(name, "Keras " + major + " HDF5", version, backend, modelConfig,
                    new H5WeightSource((io.jhdf.api.Group) weightsGroup), hdf);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static KerasModelFile openSplit(Path json, String name) {
        Optional<Path> weightsPath = SplitPairing.weightsFor(json);
        if (weightsPath.isEmpty()) {
            throw KerasImportException.ofFile(name, "is an architecture JSON without a weights file: put the file "
                    + "written by save_weights beside it, named " + SplitPairing.expectedWeightsNames(json));
        }
        JsonNode modelConfig;
        try {
            modelConfig = parseJson(name, Files.readString(json));
        } catch (IOException e) {
            throw KerasImportException.ofFile(name, "cannot be read: " + e.getMessage(), e);
        }
        Path wp = weightsPath.get();
        String wName = wp.getFileName().toString();
        if (!Hdf5Files.hasSignature(head(wp, wName))) {
            throw KerasImportException.ofFile(wName, "is not an HDF5 file (no HDF5 signature): give the weights "
                    + "written by model.save_weights('name.h5')");
        }
        HdfFile hdf = Hdf5Files.open(wp, wName, "save the weights again with model.save_weights");
        try {
            String version = modelConfig.path("keras_version").asText(null);
            if (version == null) {
                version = H5Arrays.string(hdf, "keras_version");
            }
            String backend = modelConfig.path("backend").asText(null);
            if (backend == null) {
                backend = H5Arrays.string(hdf, "backend");
            }
            String both = name + " + " + wName;
            if (hasArchiveLayout(hdf)) {
                // Keras 3 save_weights('name.weights.h5'): the layout of the weights inside a .keras archive.
                return new KerasModelFile(both, "Keras 3 JSON + weights.h5", version, backend, modelConfig,
                        ArchiveWeightSource.forModel(hdf, modelConfig), hdf);
            }
            io.jhdf.api.Group root = hdf;
            if (hdf.getChildren().get("model_weights") instanceof io.jhdf.api.Group) {
                root = (io.jhdf.api.Group) hdf.getChildren().get("model_weights");
            }
            String major = version == null || version.isEmpty() ? "?" : version.substring(0, 1);
            return new KerasModelFile(both, "Keras " + major + " JSON + HDF5 weights", version,
                    backend, modelConfig, new H5WeightSource(root), hdf);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    /** Keras 3 weights files hold {@code layers/<name>/vars} groups and no {@code layer_names} attribute. */
    private static boolean hasArchiveLayout(HdfFile hdf) {
        return hdf.getChild("layers") instanceof io.jhdf.api.Group && H5Arrays.stringList(hdf, "layer_names") == null
                && !(hdf.getChild("model_weights") instanceof io.jhdf.api.Group);
    }

    static JsonNode parseJson(String name, String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw KerasImportException.ofFile(name, "holds a model config that is not valid JSON ("
                    + e.getOriginalMessage() + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + "): the file is corrupt; save the model again", e);
        } catch (IOException e) {
            throw KerasImportException.ofFile(name, "holds a model config that is not valid JSON: "
                    + e.getMessage() + "; save the model again", e);
        }
    }

    public String fileName() {
        return fileName;
    }

    /** For example "Keras 2 HDF5". */
    public String format() {
        return format;
    }

    /** The {@code keras_version} the file records, or null. */
    public String kerasVersion() {
        return kerasVersion;
    }

    public String backend() {
        return backend;
    }

    /** The top-level {@code {"class_name": ..., "config": ...}} object. */
    public JsonNode modelConfig() {
        return modelConfig;
    }

    public WeightSource weights() {
        return weights;
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            // Read-only file: nothing is lost if closing fails.
        }
    }
}
