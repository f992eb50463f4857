package io.sofie.maven;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import io.sofie.model.ModelException;
import io.sofie.model.ModelOrigin;
import io.sofie.model.RModel;
import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import org.apache.maven.plugin.MojoFailureException;

/** Runs the pipeline for one model in memory: Keras file -> RModel -> passes -> Java source and weights. */
final class ModelGenerator {
    private final KerasImporter importer = new KerasImporter();

    /** What was generated for one model, with the numbers the build log reports. */
    record Result(ModelSource source, GeneratedModel generated, int layers, long parameters, long millis) {
    }

    Result generate(ModelSource source) throws MojoFailureException {
        long start = System.nanoTime();
        try {
            RModel model = Optimizer.optimize(importer.importModel(source.path()));
            GeneratedModel generated = JavaEmitter.emit(model, source.packageName(), source.className());
            ModelOrigin origin = model.origin();
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(source, generated, origin.layers().size(), origin.parameters(), millis);
        } catch (KerasImportException e) {
            // The message already names the file, the layer and what to do; a stack trace would only bury it.
            throw new MojoFailureException(e.getMessage());
        } catch (ModelException e) {
            throw new MojoFailureException(source.displayName() + ": " + e.getMessage());
        }
    }
}
