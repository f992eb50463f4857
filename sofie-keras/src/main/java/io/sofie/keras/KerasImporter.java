package io.sofie.keras;

import io.sofie.keras.reader.KerasModelFile;
import io.sofie.keras.translate.LayerTranslators;
import io.sofie.keras.translate.ModelTranslator;
import io.sofie.model.ModelException;
import io.sofie.model.RModel;
import java.nio.file.Path;

/** The entry point: a Keras model file in, an RModel out, or a {@link KerasImportException} saying why not. */
public final class KerasImporter {
    private final LayerTranslators translators;

    public KerasImporter() {
        this(LayerTranslators.standard());
    }

    KerasImporter(LayerTranslators translators) {
        this.translators = translators;
    }

    public RModel importModel(Path file) {
        String name = file.getFileName().toString();
        try (KerasModelFile model = KerasModelFile.open(file)) {
            return new ModelTranslator(model, translators).translate();
        } catch (KerasImportException e) {
            throw e;
        } catch (ModelException e) {
            throw KerasImportException.ofFile(name, e.getMessage(), e);
        } catch (RuntimeException e) {
            // Anything else escaping the readers is a malformed file the checks above did not anticipate.
            throw KerasImportException.ofFile(name, "cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the file may be corrupt or from an unsupported Keras version: save the "
                    + "model again, and if Keras itself loads it, report this with the file attached", e);
        } catch (StackOverflowError e) {
            throw KerasImportException.ofFile(name, "has a model config nested too deeply to read");
        }
    }

    /** Supported Keras layer classes, sorted. */
    public java.util.Set<String> supportedLayers() {
        return translators.supportedClasses();
    }
}
