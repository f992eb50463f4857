package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.build.BuildContext;
import org.codehaus.plexus.build.DefaultBuildContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goal as an IDE runs it (Eclipse m2e hands the mojo its own BuildContext): an incremental build without a
 * changed model returns at once, but only after the roots are registered; written and deleted files are refreshed;
 * a model's error becomes a marker on that file.
 */
class BuildContextTest {
    @TempDir
    Path tmp;

    private final List<String> calls = new ArrayList<>();
    private boolean incremental;
    private boolean delta;

    @Test
    void anIncrementalBuildWithoutAChangedModelGeneratesNothingButRegistersTheRoots() throws Exception {
        incremental = true;
        delta = false;
        GenerateMojo mojo = mojo();

        mojo.execute();

        assertFalse(Files.exists(tmp.resolve("out")));
        assertTrue(calls.contains("hasDelta " + tmp.resolve("models")), calls.toString());
        MavenProject project = project(mojo);
        assertEquals(List.of(tmp.resolve("out/java").toString()), project.getCompileSourceRoots());
        assertEquals(tmp.resolve("out/res").toString(), project.getResources().get(0).getDirectory());
    }

    @Test
    void writtenAndDeletedFilesAreRefreshed() throws Exception {
        incremental = true;
        delta = true;
        GenerateMojo mojo = mojo();

        mojo.execute();

        Path source = tmp.resolve("out/java/com/example/models/SequentialMlp.java");
        Path weights = tmp.resolve("out/res/com/example/models/SequentialMlp.weights");
        assertTrue(calls.contains("refresh " + source) && calls.contains("refresh " + weights), calls.toString());
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("refresh") && c.endsWith(".tmp")), calls.toString());

        calls.clear();
        Files.delete(tmp.resolve("models/sequential_mlp.h5"));
        mojo.execute();

        assertFalse(Files.exists(source));
        assertTrue(calls.contains("refresh " + source) && calls.contains("refresh " + weights), calls.toString());
    }

    @Test
    void aModelThatFailsGetsAnErrorMarker() throws Exception {
        GenerateMojo mojo = mojo();
        Path bad = tmp.resolve("models/broken.h5");
        Files.writeString(bad, "not HDF5", StandardCharsets.UTF_8);

        assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(calls.stream().anyMatch(c -> c.startsWith("addMessage " + bad + " broken.h5: ")), calls.toString());
    }

    private GenerateMojo mojo() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        try (InputStream in = getClass().getResourceAsStream("/models/sequential_mlp.h5")) {
            Files.copy(in, models.resolve("sequential_mlp.h5"));
        }
        GenerateMojo mojo = new GenerateMojo(recordingContext());
        setVariableValueToObject(mojo, "modelDirectory", models.toFile());
        setVariableValueToObject(mojo, "outputDirectory", tmp.resolve("out/java").toFile());
        setVariableValueToObject(mojo, "resourceDirectory", tmp.resolve("out/res").toFile());
        setVariableValueToObject(mojo, "stateDirectory", tmp.resolve("state").toFile());
        setVariableValueToObject(mojo, "packageName", "com.example.models");
        setVariableValueToObject(mojo, "project", new MavenProject(new Model()));
        return mojo;
    }

    /** The CLI's BuildContext, except for what an IDE decides (incremental, delta), recording what the mojo asks. */
    private BuildContext recordingContext() {
        BuildContext cli = new DefaultBuildContext(new org.sonatype.plexus.build.incremental.DefaultBuildContext());
        return (BuildContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BuildContext.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isIncremental":
                            return incremental;
                        case "hasDelta":
                            calls.add("hasDelta " + args[0]);
                            return delta;
                        case "refresh":
                            calls.add("refresh " + args[0]);
                            return null;
                        case "addMessage":
                            calls.add("addMessage " + args[0] + " " + args[3]);
                            return null;
                        default:
                            try {
                                return method.invoke(cli, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    private static MavenProject project(GenerateMojo mojo) throws IllegalAccessException {
        return (MavenProject) org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject(mojo,
                "project");
    }
}
