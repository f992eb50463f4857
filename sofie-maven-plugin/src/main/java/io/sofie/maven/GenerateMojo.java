package io.sofie.maven;

import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.build.BuildContext;

/**
 * Generates one Java inference class (and its weights resource) per Keras model file found in
 * {@code modelDirectory}, and adds the output directories to the project as a compile source root and a resource
 * root.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** Where the model files are. A missing directory means there is nothing to generate. */
    @Parameter(property = "sofie.modelDirectory", defaultValue = "${project.basedir}/src/main/models", required = true)
    private File modelDirectory;

    /** Ant-style patterns, relative to {@code modelDirectory}, of the model files to generate classes for. */
    @Parameter
    private List<String> includes = new ArrayList<>(List.of("**/*.h5", "**/*.keras"));

    /** Ant-style patterns, relative to {@code modelDirectory}, of files to leave out. */
    @Parameter
    private List<String> excludes = new ArrayList<>();

    /**
     * Java package of the generated classes, for example {@code com.example.models}. Required: there is no good
     * default (the default package cannot be imported, and a fixed package shared by every project would let two
     * libraries' generated classes collide on one classpath).
     */
    @Parameter(property = "sofie.packageName", required = true)
    private String packageName;

    /** Where the generated Java sources go; added to the project as a compile source root. */
    @Parameter(property = "sofie.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/sofie", required = true)
    private File outputDirectory;

    /** Where the generated weights resources go; added to the project as a resource root. */
    @Parameter(property = "sofie.resourceDirectory",
            defaultValue = "${project.build.directory}/generated-resources/sofie", required = true)
    private File resourceDirectory;

    /** Skips generation. The output directories are still added to the project, so earlier output compiles. */
    @Parameter(property = "sofie.skip", defaultValue = "false")
    private boolean skip;

    /** Where each execution keeps what it generated last time (for up-to-date checks and removing stale output). */
    @Parameter(defaultValue = "${project.build.directory}/sofie-maven-plugin", readonly = true, required = true)
    private File stateDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    private final BuildContext buildContext;

    @Inject
    public GenerateMojo(BuildContext buildContext) {
        this.buildContext = buildContext;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        // Roots first, as the protobuf and antlr4 plugins do: a skipped or up-to-date run must still compile the
        // classes and package the weights of an earlier run.
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        addResourceRoot();

        if (skip) {
            getLog().info("SOFIE generation skipped (sofie.skip)");
            return;
        }
        if (packageName == null || packageName.isBlank() || !JavaNames.isPackageName(packageName)) {
            throw new MojoFailureException("packageName '" + (packageName == null ? "" : packageName)
                    + "' is not a valid Java package name: set <packageName> in the plugin configuration, for "
                    + "example <packageName>com.example.models</packageName>");
        }
        if (buildContext.isIncremental() && !buildContext.hasDelta(modelDirectory)) {
            getLog().debug("SOFIE: no model changed since the last incremental build");
            return;
        }

        List<ModelSource> sources = new ModelScanner(buildContext).scan(modelDirectory, includes, excludes);
        Path stateFile = stateFile();
        GenerationState previous = GenerationState.read(stateFile);
        if (sources.isEmpty() && previous.outputs().isEmpty()) {
            getLog().info("SOFIE: no models in " + modelDirectory + " matching " + includes);
            return;
        }
        String fingerprint = fingerprint(sources);
        if (previous.isCurrent(fingerprint)) {
            getLog().info("SOFIE: " + sources.size() + " model(s) up to date");
            return;
        }

        // Everything in memory first: one bad model must not leave the others' output half updated.
        ModelGenerator generator = new ModelGenerator(packageName);
        List<ModelGenerator.Result> results = new ArrayList<>();
        for (ModelSource source : sources) {
            results.add(generator.generate(source));
        }
        List<Path> outputs = write(results, previous, new GenerationState(fingerprint, List.of()), stateFile);
        for (ModelGenerator.Result r : results) {
            getLog().info(String.format(Locale.ROOT, "SOFIE: %s -> %s: %d layers, %,d parameters, %d ms",
                    r.source().displayName(), r.generated().className(), r.layers(), r.parameters(), r.millis()));
        }
        getLog().debug("SOFIE: wrote state " + stateFile + " for " + outputs.size() + " files");
    }

    private void addResourceRoot() {
        String dir = resourceDirectory.getAbsolutePath();
        for (Resource r : project.getResources()) {
            if (dir.equals(r.getDirectory())) {
                return;
            }
        }
        Resource resource = new Resource();
        resource.setDirectory(dir);
        project.addResource(resource);
    }

    /**
     * Writes the generated files and the new state, then deletes what the previous run wrote and this one did not
     * (the output of a model since removed or renamed). Only files listed in the previous state are ever deleted.
     */
    private List<Path> write(List<ModelGenerator.Result> results, GenerationState previous, GenerationState partial,
            Path stateFile) throws MojoExecutionException {
        OutputWriter writer = new OutputWriter(buildContext);
        Path sources = outputDirectory.toPath();
        Path resources = resourceDirectory.toPath();
        List<Path> outputs = new ArrayList<>();
        try {
            for (ModelGenerator.Result r : results) {
                GeneratedModel g = r.generated();
                outputs.add(writer.stage(sources.resolve(g.sourcePath()), g.source().getBytes(StandardCharsets.UTF_8)));
                outputs.add(writer.stage(resources.resolve(g.weightsResourcePath()), g.weights()));
            }
            writer.commit();
            for (Path old : previous.outputs()) {
                if (!outputs.contains(old.toAbsolutePath()) && Files.deleteIfExists(old)) {
                    buildContext.refresh(old.toFile());
                    getLog().info("SOFIE: deleted " + old + " (its model is gone)");
                }
            }
            writer.stage(stateFile, new GenerationState(partial.fingerprint(), outputs).toBytes());
            writer.commit();
            return outputs;
        } catch (IOException e) {
            throw new MojoExecutionException("SOFIE: cannot write generated files: " + e.getMessage(), e);
        } finally {
            writer.discard();
        }
    }

    private Path stateFile() {
        // One state per execution, told apart by where it writes.
        String key = Integer.toHexString((outputDirectory.getAbsolutePath() + "|" + resourceDirectory.getAbsolutePath())
                .hashCode());
        return stateDirectory.toPath().resolve("generate-" + key + ".state");
    }

    private String fingerprint(List<ModelSource> sources) throws MojoExecutionException {
        try {
            return GenerationState.fingerprint(List.of(packageName, outputDirectory.getAbsolutePath(),
                    resourceDirectory.getAbsolutePath()), sources);
        } catch (IOException e) {
            throw new MojoExecutionException("SOFIE: cannot read model files: " + e.getMessage(), e);
        }
    }
}
