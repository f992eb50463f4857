package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject;
import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.model.Resource;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate-test goal: the same run as generate, from src/test/models into test roots. */
@MojoTest
class GenerateTestMojoTest {
    private static final String POM = "pom.xml";
    private static final String PROJECT = "src/test/projects/generate";

    @TempDir
    Path tmp;

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate-test", pom = POM)
    void defaultsFollowTheProjectsTestLayout(GenerateTestMojo mojo) throws Exception {
        String basedir = new File(MojoExtension.getBasedir()).getAbsolutePath();
        assertEquals(new File(basedir, "src/test/models"), file(mojo, "testModelDirectory"));
        assertEquals(new File(basedir, "target/generated-test-sources/sofie"), file(mojo, "testOutputDirectory"));
        assertEquals(new File(basedir, "target/generated-test-resources/sofie"),
                file(mojo, "testResourceDirectory"));
        assertEquals("com.example.models", getVariableValueFromObject(mojo, "packageName"));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate-test", pom = POM)
    void generatesIntoTestRootsOnly(GenerateTestMojo mojo) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path sources = tmp.resolve("generated-test-sources/sofie");
        Path resources = tmp.resolve("generated-test-resources/sofie");
        configure(mojo, models, sources, resources);
        try (InputStream in = getClass().getResourceAsStream("/models/sequential_mlp.h5")) {
            Files.copy(in, models.resolve("sequential_mlp.h5"));
        }

        mojo.execute();

        assertTrue(Files.isRegularFile(sources.resolve("com/example/models/SequentialMlp.java")));
        assertTrue(Files.isRegularFile(resources.resolve("com/example/models/SequentialMlp.weights")));
        MavenProject project = project(mojo);
        assertTrue(project.getTestCompileSourceRoots().contains(sources.toFile().getAbsolutePath()));
        assertTrue(project.getTestResources().stream().map(Resource::getDirectory).toList()
                .contains(resources.toFile().getAbsolutePath()));
        assertFalse(project.getCompileSourceRoots().contains(sources.toFile().getAbsolutePath()),
                "test output never joins the main sources");
        assertTrue(project.getResources().isEmpty(), "nor the main resources");
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate-test", pom = POM)
    @MojoParameter(name = "skipTests", value = "true")
    void mavenTestSkipSkipsGenerationButKeepsTheRoots(GenerateTestMojo mojo) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path sources = tmp.resolve("generated-test-sources/sofie");
        configure(mojo, models, sources, tmp.resolve("generated-test-resources/sofie"));
        try (InputStream in = getClass().getResourceAsStream("/models/sequential_mlp.h5")) {
            Files.copy(in, models.resolve("sequential_mlp.h5"));
        }

        mojo.execute();

        assertFalse(Files.exists(sources));
        assertTrue(project(mojo).getTestCompileSourceRoots().contains(sources.toFile().getAbsolutePath()));
    }

    private static void configure(GenerateTestMojo mojo, Path models, Path sources, Path resources)
            throws Exception {
        setVariableValueToObject(mojo, "testModelDirectory", models.toFile());
        setVariableValueToObject(mojo, "testOutputDirectory", sources.toFile());
        setVariableValueToObject(mojo, "testResourceDirectory", resources.toFile());
        setVariableValueToObject(mojo, "stateDirectory", models.resolveSibling("state").toFile());
        // The harness's stub project starts with immutable, empty resource lists; a real project's are mutable.
        project(mojo).getBuild().setTestResources(new ArrayList<>());
        project(mojo).getBuild().setResources(new ArrayList<>(List.of()));
    }

    private static File file(GenerateTestMojo mojo, String name) throws IllegalAccessException {
        return ((File) getVariableValueFromObject(mojo, name)).getAbsoluteFile();
    }

    private static MavenProject project(GenerateTestMojo mojo) throws IllegalAccessException {
        return (MavenProject) getVariableValueFromObject(mojo, "project");
    }
}
