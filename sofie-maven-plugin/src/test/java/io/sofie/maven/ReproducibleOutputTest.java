package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clean builds give byte-identical sources and weights: in different folders, with the model files created in
 * opposite orders (so directory listing order differs), under different time zones and locales. The invoker IT
 * {@code incremental} repeats this across two JVMs started with different {@code -Duser.timezone}.
 */
@MojoTest
class ReproducibleOutputTest {

    @TempDir
    Path tmp;

    @Test
    @Basedir("src/test/projects/generate")
    @InjectMojo(goal = "generate", pom = "pom.xml")
    void twoCleanBuildsWriteIdenticalBytes(GenerateMojo mojo) throws Exception {
        TimeZone zone = TimeZone.getDefault();
        Locale locale = Locale.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            Locale.setDefault(Locale.US);
            Path first = build(mojo, tmp.resolve("one"), List.of("sequential_mlp.h5", "merge_ops.h5"));

            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            Locale.setDefault(Locale.forLanguageTag("de-DE"));
            Path second = build(mojo, tmp.resolve("second build/elsewhere"),
                    List.of("merge_ops.h5", "sequential_mlp.h5"));

            List<Path> files = relativeFiles(first);
            assertEquals(List.of(Path.of("generated-resources/com/example/models/MergeOps.weights"),
                    Path.of("generated-resources/com/example/models/SequentialMlp.weights"),
                    Path.of("generated-sources/com/example/models/MergeOps.java"),
                    Path.of("generated-sources/com/example/models/SequentialMlp.java")), files);
            assertEquals(files, relativeFiles(second));
            for (Path f : files) {
                assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)),
                        f.toString());
            }
        } finally {
            TimeZone.setDefault(zone);
            Locale.setDefault(locale);
        }
    }

    private Path build(GenerateMojo mojo, Path root, List<String> modelsInCreationOrder) throws Exception {
        Path models = Files.createDirectories(root.resolve("models"));
        for (String name : modelsInCreationOrder) {
            try (InputStream in = getClass().getResourceAsStream("/models/" + name)) {
                Files.copy(in, models.resolve(name));
            }
        }
        Path out = root.resolve("out");
        setVariableValueToObject(mojo, "modelDirectory", models.toFile());
        setVariableValueToObject(mojo, "outputDirectory", out.resolve("generated-sources").toFile());
        setVariableValueToObject(mojo, "resourceDirectory", out.resolve("generated-resources").toFile());
        setVariableValueToObject(mojo, "stateDirectory", root.resolve("state").toFile());
        MavenProject project = (MavenProject) org.apache.maven.api.plugin.testing.MojoExtension
                .getVariableValueFromObject(mojo, "project");
        project.getBuild().setResources(new ArrayList<>());
        mojo.execute();
        return out;
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }
}
