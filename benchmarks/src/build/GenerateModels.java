import io.sofie.keras.KerasImporter;
import io.sofie.model.RModel;
import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step of the benchmarks module (run by exec-maven-plugin as a single-file program in generate-sources): turns
 * each benchmark fixture's model.h5 into a Java class and its weights resource, through the same
 * KerasImporter -> Optimizer -> JavaEmitter path a user's build takes.
 *
 * <p>Arguments: fixturesDir sourcesDir resourcesDir package case=ClassName...
 */
public final class GenerateModels {
    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: fixturesDir sourcesDir resourcesDir package case=Class...");
        }
        Path fixtures = Path.of(args[0]);
        Path sources = Path.of(args[1]);
        Path resources = Path.of(args[2]);
        String packageName = args[3];
        for (int i = 4; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            Path model = fixtures.resolve(pair[0]).resolve("model.h5");
            if (!Files.isRegularFile(model)) {
                throw new IllegalStateException(model + " not found: the benchmarks read the shared fixtures in "
                        + fixtures + " (set -Dsofie.sharedFixtures=... to point elsewhere)");
            }
            RModel rmodel = Optimizer.optimize(new KerasImporter().importModel(model));
            GeneratedModel generated = JavaEmitter.emit(rmodel, packageName, pair[1]);
            write(sources.resolve(generated.sourcePath()), generated.source().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            write(resources.resolve(generated.weightsResourcePath()), generated.weights());
            System.out.println("[sofie-bench] " + model + " -> " + generated.className());
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
