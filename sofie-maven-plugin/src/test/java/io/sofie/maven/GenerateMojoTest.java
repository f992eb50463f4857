package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generate goal as Maven configures it (harness), on model directories built in a temporary folder. */
@MojoTest
class GenerateMojoTest {
    private static final String POM = "pom.xml";
    private static final String PROJECT = "src/test/projects/generate";
    private static final FileTime OLD = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path tmp;

    private Path models;
    private Path sources;
    private Path resources;

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void generatesClassAndWeightsAndRegistersRoots(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");

        mojo.execute();

        Path source = sources.resolve("com/example/models/SequentialMlp.java");
        Path weights = resources.resolve("com/example/models/SequentialMlp.weights");
        String java = Files.readString(source);
        assertTrue(java.startsWith("package com.example.models;"), java);
        assertTrue(java.contains("public final class SequentialMlp"), java);
        assertTrue(java.contains("sequential_mlp.h5"), "Javadoc names the model file");
        assertTrue(Files.size(weights) > 0);
        assertEquals(List.of(weights, source), filesUnder(tmp.resolve("out")), "no temp files left behind");
        assertEquals(1, filesUnder(tmp.resolve("state")).size());

        MavenProject project = project(mojo);
        assertTrue(project.getCompileSourceRoots().contains(sources.toFile().getAbsolutePath()));
        assertTrue(resourceDirectories(project).contains(resources.toFile().getAbsolutePath()));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void unchangedOutputIsNotRewritten(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        mojo.execute();
        Path source = sources.resolve("com/example/models/SequentialMlp.java");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(source, old);

        mojo.execute();
        assertEquals(old, Files.getLastModifiedTime(source), "up to date: nothing generated");

        deleteState();
        mojo.execute();
        assertEquals(old, Files.getLastModifiedTime(source), "regenerated, but identical content is not rewritten");
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void aChangedModelRegeneratesOnlyItsOwnClass(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        copyModel("merge_ops.h5");
        mojo.execute();
        Path mlp = sources.resolve("com/example/models/SequentialMlp.java");
        Path mlpWeights = resources.resolve("com/example/models/SequentialMlp.weights");
        Path merge = sources.resolve("com/example/models/MergeOps.java");
        List<Path> outputs = filesUnder(tmp.resolve("out"));
        ageAll(outputs);
        String mergeBefore = Files.readString(merge);
        String mlpBefore = Files.readString(mlp);

        // Another model's bytes under the same name: a change that alters the generated class.
        copyModel("merge_ops.h5", "sequential_mlp.h5");
        Files.setLastModifiedTime(models.resolve("sequential_mlp.h5"), FileTime.fromMillis(System.currentTimeMillis()));
        mojo.execute();

        assertFalse(Files.readString(mlp).equals(mlpBefore), "the new model's class");
        assertTrue(Files.getLastModifiedTime(mlp).compareTo(OLD) > 0, "changed model's class rewritten");
        assertTrue(Files.getLastModifiedTime(mlpWeights).compareTo(OLD) > 0, "changed model's weights rewritten");
        assertEquals(OLD, Files.getLastModifiedTime(merge), "the other model's class is untouched");
        assertEquals(OLD, Files.getLastModifiedTime(resources.resolve("com/example/models/MergeOps.weights")));
        assertEquals(mergeBefore, Files.readString(merge));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void aDeletedModelLosesItsOutputAndTheOthersKeepTheirs(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        copyModel("merge_ops.h5");
        mojo.execute();
        ageAll(filesUnder(tmp.resolve("out")));
        Files.delete(models.resolve("merge_ops.h5"));

        mojo.execute();

        assertEquals(List.of(resources.resolve("com/example/models/SequentialMlp.weights"),
                sources.resolve("com/example/models/SequentialMlp.java")), filesUnder(tmp.resolve("out")));
        for (Path p : filesUnder(tmp.resolve("out"))) {
            assertEquals(OLD, Files.getLastModifiedTime(p), p.toString());
        }
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void aChangedPackageNameRegeneratesEveryModelAndRemovesTheOldPackage(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        copyModel("merge_ops.h5");
        mojo.execute();

        setVariableValueToObject(mojo, "packageName", "org.other");
        mojo.execute();

        assertEquals(List.of(resources.resolve("org/other/MergeOps.weights"),
                resources.resolve("org/other/SequentialMlp.weights"), sources.resolve("org/other/MergeOps.java"),
                sources.resolve("org/other/SequentialMlp.java")), filesUnder(tmp.resolve("out")));
        assertTrue(Files.readString(sources.resolve("org/other/MergeOps.java")).startsWith("package org.other;"));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void overridesNameTheClassAndPackageOfOneModelAndAChangedOverrideRegeneratesIt(GenerateMojo mojo)
            throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        copyModel("merge_ops.h5");
        setVariableValueToObject(mojo, "models",
                List.of(new ModelOverride("sequential_mlp.h5", "Tagger", "com.x.y")));
        mojo.execute();
        Path tagger = sources.resolve("com/x/y/Tagger.java");
        assertTrue(Files.readString(tagger).contains("public final class Tagger"));
        assertTrue(Files.exists(resources.resolve("com/x/y/Tagger.weights")));
        ageAll(filesUnder(tmp.resolve("out")));

        setVariableValueToObject(mojo, "models", List.of(new ModelOverride("sequential_mlp.h5", "Classifier", null)));
        mojo.execute();

        assertEquals(List.of(resources.resolve("com/example/models/Classifier.weights"),
                resources.resolve("com/example/models/MergeOps.weights"),
                sources.resolve("com/example/models/Classifier.java"),
                sources.resolve("com/example/models/MergeOps.java")), filesUnder(tmp.resolve("out")));
        assertEquals(OLD, Files.getLastModifiedTime(sources.resolve("com/example/models/MergeOps.java")));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void anInvalidOverriddenClassNameFailsNamingTheFileAndWritesNothing(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        setVariableValueToObject(mojo, "models", List.of(new ModelOverride("sequential_mlp.h5", "switch", null)));

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().contains("sequential_mlp.h5") && e.getMessage().contains("switch"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void rootsAreRegisteredOnAnUpToDateRunToo(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        mojo.execute();
        MavenProject project = project(mojo);
        project.getCompileSourceRoots().clear();
        project.getBuild().setResources(new ArrayList<>());

        mojo.execute();

        assertTrue(project.getCompileSourceRoots().contains(sources.toFile().getAbsolutePath()));
        assertTrue(resourceDirectories(project).contains(resources.toFile().getAbsolutePath()));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void anUpToDateRunIsFast(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        copyModel("merge_ops.h5");
        mojo.execute();
        mojo.execute(); // warm up class loading of the up-to-date path

        long start = System.nanoTime();
        int runs = 20;
        for (int i = 0; i < runs; i++) {
            mojo.execute();
        }
        long perRunMillis = (System.nanoTime() - start) / 1_000_000 / runs;

        assertTrue(perRunMillis < 20, "an up-to-date run of two models took " + perRunMillis + " ms");
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void deletedOutputIsRegenerated(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        mojo.execute();
        Path weights = resources.resolve("com/example/models/SequentialMlp.weights");
        byte[] first = Files.readAllBytes(weights);
        Files.delete(weights);

        mojo.execute();

        assertArrayEquals(first, Files.readAllBytes(weights));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void outputOfARenamedModelIsDeleted(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        mojo.execute();
        Files.move(models.resolve("sequential_mlp.h5"), models.resolve("classifier.h5"));

        mojo.execute();

        assertEquals(List.of(resources.resolve("com/example/models/Classifier.weights"),
                sources.resolve("com/example/models/Classifier.java")), filesUnder(tmp.resolve("out")));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    @MojoParameter(name = "skip", value = "true")
    void skipGeneratesNothingButStillRegistersRoots(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");

        mojo.execute();

        assertFalse(Files.exists(tmp.resolve("out")));
        MavenProject project = project(mojo);
        assertTrue(project.getCompileSourceRoots().contains(sources.toFile().getAbsolutePath()));
        assertTrue(resourceDirectories(project).contains(resources.toFile().getAbsolutePath()));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void unreadableModelFailsTheBuildWithTheFileNameAndWritesNothing(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        Files.writeString(models.resolve("x.h5"), "this is not an HDF5 file\n", StandardCharsets.UTF_8);

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("x.h5: "), e.getMessage());
        assertEquals(null, e.getCause(), "a user error carries no stack trace");
        assertFalse(Files.exists(tmp.resolve("out")), "the good model's output is not written either");
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void twoModelsWithOneClassNameFailNamingBothFiles(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        Files.createDirectories(models.resolve("v2"));
        Files.copy(models.resolve("sequential_mlp.h5"), models.resolve("v2/sequential-mlp.h5"));

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().contains("sequential_mlp.h5"), e.getMessage());
        assertTrue(e.getMessage().contains("v2/sequential-mlp.h5"), e.getMessage());
        assertTrue(e.getMessage().contains("SequentialMlp"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    @MojoParameter(name = "excludes", value = "v2/**")
    void excludedModelsAreNotGenerated(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");
        Files.createDirectories(models.resolve("v2"));
        Files.writeString(models.resolve("v2/broken.h5"), "not a model", StandardCharsets.UTF_8);

        mojo.execute();

        assertTrue(Files.exists(sources.resolve("com/example/models/SequentialMlp.java")));
        assertFalse(Files.exists(sources.resolve("com/example/models/Broken.java")));
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    @MojoParameter(name = "packageName", value = "com.example.class")
    void invalidPackageNameFails(GenerateMojo mojo) throws Exception {
        useTempDirs(mojo);
        copyModel("sequential_mlp.h5");

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().contains("com.example.class"), e.getMessage());
    }

    @Test
    @Basedir(PROJECT)
    @InjectMojo(goal = "generate", pom = POM)
    void defaultsFollowTheProjectLayout(GenerateMojo mojo) throws Exception {
        String basedir = new File(org.apache.maven.api.plugin.testing.MojoExtension.getBasedir()).getAbsolutePath();
        assertEquals(new File(basedir, "src/main/models"), ((File) field(mojo, "modelDirectory")).getAbsoluteFile());
        assertEquals(new File(basedir, "target/generated-sources/sofie"),
                ((File) field(mojo, "outputDirectory")).getAbsoluteFile());
        assertEquals(new File(basedir, "target/generated-resources/sofie"),
                ((File) field(mojo, "resourceDirectory")).getAbsoluteFile());
        assertEquals(List.of("**/*.h5", "**/*.keras"), field(mojo, "includes"));
        assertEquals("com.example.models", field(mojo, "packageName"));
    }

    private void useTempDirs(GenerateMojo mojo) throws Exception {
        models = Files.createDirectories(tmp.resolve("models"));
        sources = tmp.resolve("out/generated-sources/sofie");
        resources = tmp.resolve("out/generated-resources/sofie");
        setVariableValueToObject(mojo, "modelDirectory", models.toFile());
        setVariableValueToObject(mojo, "outputDirectory", sources.toFile());
        setVariableValueToObject(mojo, "resourceDirectory", resources.toFile());
        setVariableValueToObject(mojo, "stateDirectory", tmp.resolve("state").toFile());
        // The harness's stub project starts with an immutable, empty resource list; a real project's is mutable.
        project(mojo).getBuild().setResources(new ArrayList<>());
    }

    private void deleteState() throws IOException {
        for (Path p : filesUnder(tmp.resolve("state"))) {
            Files.delete(p);
        }
    }

    private void copyModel(String name) throws IOException {
        copyModel(name, name);
    }

    private void copyModel(String resource, String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/models/" + resource)) {
            Files.copy(in, models.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void ageAll(List<Path> files) throws IOException {
        for (Path p : files) {
            Files.setLastModifiedTime(p, OLD);
        }
    }

    private static Object field(GenerateMojo mojo, String name) throws IllegalAccessException {
        return org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject(mojo, name);
    }

    private static MavenProject project(GenerateMojo mojo) throws IllegalAccessException {
        return (MavenProject) field(mojo, "project");
    }

    private static List<String> resourceDirectories(MavenProject project) {
        return project.getResources().stream().map(Resource::getDirectory).collect(Collectors.toList());
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }
}
