package io.sofie.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.codehaus.plexus.build.DefaultBuildContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files become which models; the scanner only looks at names, so the files here are empty. */
class ModelScannerTest {
    private static final List<String> DEFAULT_INCLUDES = List.of("**/*.h5", "**/*.keras");

    @TempDir
    Path dir;

    private final ModelScanner scanner = new ModelScanner(
            new DefaultBuildContext(new org.sonatype.plexus.build.incremental.DefaultBuildContext()));

    @Test
    void splitPairIncludedFromBothSidesIsOneModelNamedAfterItsJson() throws Exception {
        touch("jet_tagger.json", "jet_tagger.weights.h5", "other.keras");

        List<ModelFile> found = scanner.scan(dir.toFile(), List.of("**/*.h5", "**/*.json", "**/*.keras"), List.of());

        assertEquals(List.of("jet_tagger.json", "other.keras"), names(found));
        assertEquals(dir.resolve("jet_tagger.json"), found.get(0).path());
    }

    @Test
    void weightsHalfOfASplitPairIsGeneratedFromItsJsonWithDefaultIncludes() throws Exception {
        touch("model.json", "weights.h5");

        List<ModelFile> found = scanner.scan(dir.toFile(), DEFAULT_INCLUDES, List.of());

        assertEquals(List.of("model.json"), names(found));
    }

    @Test
    void anHdf5FileWithoutJsonIsItsOwnModel() throws Exception {
        touch("a/net.h5", "b/net.json");

        List<ModelFile> found = scanner.scan(dir.toFile(), DEFAULT_INCLUDES, List.of());

        assertEquals(List.of("a/net.h5"), names(found));
    }

    @Test
    void modelsAreSortedByPathWhateverTheCreationOrder() throws Exception {
        touch("z.h5", "b/a.h5", "a.keras", "m.h5");

        List<ModelFile> found = scanner.scan(dir.toFile(), DEFAULT_INCLUDES, List.of());

        assertEquals(List.of("a.keras", "b/a.h5", "m.h5", "z.h5"), names(found));
    }

    @Test
    void missingDirectoryHasNoModels() throws Exception {
        assertEquals(List.of(), scanner.scan(dir.resolve("absent").toFile(), DEFAULT_INCLUDES, List.of()));
    }

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.createDirectories(p.getParent());
            Files.createFile(p);
        }
    }

    private static List<String> names(List<ModelFile> files) {
        return files.stream().map(ModelFile::displayName).toList();
    }
}
