package io.sofie.maven;

import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.build.BuildContext;

/**
 * What {@code generate} and {@code generate-test} share: the parameters common to both, and the run. Each goal's
 * class holds only the parameters whose defaults differ (where the models are, where the output goes) and how its
 * output directories join the project (main or test roots).
 *
 * <p>A run generates one Java class and one weights resource per model file whose output is not up to date, in
 * memory first, then writes them (only files whose content changed) and deletes the output of models that are gone.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {

    /** Ant-style patterns, relative to the model directory, of the model files to generate classes for. */
    @Parameter
    private List<String> includes = new ArrayList<>(List.of("**/*.h5", "**/*.keras"));

    /** Ant-style patterns, relative to the model directory, of files to leave out. */
    @Parameter
    private List<String> excludes = new ArrayList<>();

    /**
     * Java package of the generated classes, for example {@code com.example.models}. Required: there is no good
     * default (the default package cannot be imported, and a fixed package shared by every project would let two
     * libraries' generated classes collide on one classpath).
     */
    @Parameter(property = "sofie.packageName", required = true)
    private String packageName;

    /**
     * Per-model names, overriding the class name derived from the file name and the {@code packageName} parameter:
     * {@code <models><model><file>jet_tagger.h5</file><className>Tagger</className>
     * <packageName>com.x.y</packageName></model></models>}; {@code file} is relative to the model directory,
     * {@code className} and {@code packageName} are each optional.
     */
    @Parameter
    private List<ModelOverride> models = new ArrayList<>();

    /** Skips generation. The output directories are still added to the project, so earlier output compiles. */
    @Parameter(property = "sofie.skip", defaultValue = "false")
    private boolean skip;

    /** Where each execution keeps what it generated last time (for up-to-date checks and removing stale output). */
    @Parameter(defaultValue = "${project.build.directory}/sofie-maven-plugin", readonly = true, required = true)
    private File stateDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    private final BuildContext buildContext;

    protected AbstractGenerateMojo(BuildContext buildContext) {
        this.buildContext = buildContext;
    }

    /** Where this goal's model files are. */
    protected abstract File modelDirectory();

    /** Where this goal's Java sources go. */
    protected abstract File outputDirectory();

    /** Where this goal's weights resources go. */
    protected abstract File resourceDirectory();

    /** Adds the output directories to the project: as main or as test roots. */
    protected abstract void addRoots(MavenProject project);

    /** True when this goal is told to do nothing beyond {@code skip}, such as {@code maven.test.skip} for tests. */
    protected boolean skipGoal() {
        return false;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        // Roots first, as the protobuf and antlr4 plugins do: a skipped or up-to-date run must still compile the
        // classes and package the weights of an earlier run, and an IDE must see the folders whatever happens next.
        addRoots(project);

        if (skip || skipGoal()) {
            getLog().info("SOFIE generation skipped");
            return;
        }
        if (packageName == null || packageName.isBlank() || !JavaNames.isPackageName(packageName)) {
            throw new MojoFailureException("packageName '" + (packageName == null ? "" : packageName)
                    + "' is not a valid Java package name: set <packageName> in the plugin configuration, for "
                    + "example <packageName>com.example.models</packageName>");
        }
        File modelDirectory = modelDirectory();
        if (buildContext.isIncremental() && !buildContext.hasDelta(modelDirectory)) {
            getLog().debug("SOFIE: no model changed since the last incremental build");
            return;
        }

        long start = System.nanoTime();
        ModelNaming naming = new ModelNaming(packageName, models);
        List<ModelSource> sources = naming.name(
                new ModelScanner(buildContext).scan(modelDirectory, includes, excludes));
        Path stateFile = stateFile();
        GenerationState previous = GenerationState.read(stateFile);
        if (sources.isEmpty() && previous.models().isEmpty()) {
            getLog().info("SOFIE: no models in " + modelDirectory + " matching " + includes);
            return;
        }

        Plan plan = plan(sources, previous);
        if (plan.upToDate(previous)) {
            getLog().info(String.format(Locale.ROOT, "SOFIE: %d model(s) up to date (checked in %d ms)",
                    sources.size(), (System.nanoTime() - start) / 1_000_000));
            return;
        }

        QuietLibraryLogs.apply();
        // Everything in memory first: one bad model must not leave the others' output half updated.
        ModelGenerator generator = new ModelGenerator();
        List<ModelGenerator.Result> results = new ArrayList<>();
        for (ModelSource source : plan.stale()) {
            results.add(generate(generator, source));
        }
        Map<String, GenerationState.Entry> entries = write(results, plan, previous, stateFile);
        for (ModelGenerator.Result r : results) {
            getLog().info(String.format(Locale.ROOT, "SOFIE: %s -> %s: %d layers, %,d parameters, %d ms",
                    r.source().displayName(), r.generated().className(), r.layers(), r.parameters(), r.millis()));
        }
        if (!plan.kept().isEmpty()) {
            getLog().info("SOFIE: " + plan.kept().size() + " other model(s) up to date");
        }
        getLog().debug("SOFIE: wrote state " + stateFile + " for " + entries.size() + " models");
    }

    /**
     * What this run has to do.
     *
     * @param settings fingerprint of the settings every model depends on
     * @param fingerprints every current model's fingerprint, by display name, in model order
     * @param kept previous entries of models whose output is up to date, by display name
     * @param stale the models to generate
     */
    private record Plan(String settings, Map<String, String> fingerprints, Map<String, GenerationState.Entry> kept,
            List<ModelSource> stale) {

        /** Nothing to generate and nothing to delete. */
        boolean upToDate(GenerationState previous) {
            return stale.isEmpty() && previous.settings().equals(settings)
                    && fingerprints.keySet().containsAll(previous.models().keySet());
        }
    }

    /** Sorts the models into up to date and stale: reads only file attributes, so an unchanged build is quick. */
    private Plan plan(List<ModelSource> sources, GenerationState previous) throws MojoExecutionException {
        // Keyed by display name, not by ModelSource: a record's hashCode boots java.lang.invoke machinery that a cold
        // up-to-date check would pay for.
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, GenerationState.Entry> kept = new LinkedHashMap<>();
        List<ModelSource> stale = new ArrayList<>();
        try {
            String settings = GenerationState.settingsFingerprint(List.of(outputDirectory().getAbsolutePath(),
                    resourceDirectory().getAbsolutePath(), packageName));
            for (ModelSource s : sources) {
                String fp = GenerationState.modelFingerprint(s);
                fingerprints.put(s.displayName(), fp);
                Optional<GenerationState.Entry> current = previous.current(settings, s.displayName(), fp);
                if (current.isPresent()) {
                    kept.put(s.displayName(), current.get());
                } else {
                    stale.add(s);
                }
            }
            return new Plan(settings, fingerprints, kept, stale);
        } catch (IOException e) {
            throw new MojoExecutionException("SOFIE: cannot read model files: " + e.getMessage(), e);
        }
    }

    /** Generates one model; in an IDE its error becomes a marker on the model file, removed once it generates. */
    private ModelGenerator.Result generate(ModelGenerator generator, ModelSource source) throws MojoFailureException {
        File file = source.path().toFile();
        buildContext.removeMessages(file);
        try {
            return generator.generate(source);
        } catch (MojoFailureException e) {
            buildContext.addMessage(file, 0, 0, e.getMessage(), BuildContext.SEVERITY_ERROR, null);
            throw e;
        }
    }

    /**
     * Writes the generated files and the new state, then deletes what the previous run wrote and this one did not
     * (the output of a model since removed or renamed, or of an old package). Only files listed in the previous
     * state are ever deleted. Returns the new state's entries, in model order.
     */
    private Map<String, GenerationState.Entry> write(List<ModelGenerator.Result> results, Plan plan,
            GenerationState previous, Path stateFile) throws MojoExecutionException {
        OutputWriter writer = new OutputWriter(buildContext);
        Path sourceRoot = outputDirectory().toPath();
        Path resourceRoot = resourceDirectory().toPath();
        Map<String, GenerationState.Entry> fresh = new LinkedHashMap<>();
        try {
            for (ModelGenerator.Result r : results) {
                GeneratedModel g = r.generated();
                Path source = writer.stage(sourceRoot.resolve(g.sourcePath()), g.source().getBytes(
                        StandardCharsets.UTF_8));
                Path weights = writer.stage(resourceRoot.resolve(g.weightsResourcePath()), g.weights());
                String model = r.source().displayName();
                fresh.put(model, new GenerationState.Entry(plan.fingerprints().get(model), List.of(source, weights)));
            }
            writer.commit();

            Map<String, GenerationState.Entry> entries = new LinkedHashMap<>();
            Set<Path> live = new HashSet<>();
            for (String model : plan.fingerprints().keySet()) {
                GenerationState.Entry e = fresh.containsKey(model) ? fresh.get(model) : plan.kept().get(model);
                entries.put(model, e);
                live.addAll(e.outputs());
            }
            for (Path old : previous.outputs()) {
                if (!live.contains(old.toAbsolutePath()) && Files.deleteIfExists(old)) {
                    buildContext.refresh(old.toFile());
                    getLog().info("SOFIE: deleted " + old + " (no model generates it any more)");
                }
            }
            writer.stage(stateFile, new GenerationState(plan.settings(), entries).toBytes());
            writer.commit();
            return entries;
        } catch (IOException e) {
            throw new MojoExecutionException("SOFIE: cannot write generated files: " + e.getMessage(), e);
        } finally {
            writer.discard();
        }
    }

    private Path stateFile() {
        // One state per execution, told apart by where it writes.
        String key = Integer.toHexString((outputDirectory().getAbsolutePath() + "|"
                + resourceDirectory().getAbsolutePath()).hashCode());
        return stateDirectory.toPath().resolve("generate-" + key + ".state");
    }
}
