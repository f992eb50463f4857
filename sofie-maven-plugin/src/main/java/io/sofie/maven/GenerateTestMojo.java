package io.sofie.maven;

import java.io.File;
import javax.inject.Inject;
import org.apache.maven.model.Resource;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.build.BuildContext;

/**
 * Generates one Java inference class (and its weights resource) per Keras model file found in
 * {@code testModelDirectory}, for tests only: the output directories become a test compile source root and a test
 * resource root, so nothing generated here reaches the main artifact.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public class GenerateTestMojo extends AbstractGenerateMojo {
    // The parameters shared with generate are declared and read in AbstractGenerateMojo; here are only the ones
    // whose defaults differ.

    /** Where the test model files are. A missing directory means there is nothing to generate. */
    @Parameter(property = "sofie.testModelDirectory", defaultValue = "${project.basedir}/src/test/models",
            required = true)
    private File testModelDirectory;

    /** Where the generated Java sources go; added to the project as a test compile source root. */
    @Parameter(property = "sofie.testOutputDirectory",
            defaultValue = "${project.build.directory}/generated-test-sources/sofie", required = true)
    private File testOutputDirectory;

    /** Where the generated weights resources go; added to the project as a test resource root. */
    @Parameter(property = "sofie.testResourceDirectory",
            defaultValue = "${project.build.directory}/generated-test-resources/sofie", required = true)
    private File testResourceDirectory;

    /** Skips test generation, as it skips compiling and running tests ({@code -Dmaven.test.skip=true}). */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTests;

    @Inject
    public GenerateTestMojo(BuildContext buildContext) {
        super(buildContext);
    }

    @Override
    protected File modelDirectory() {
        return testModelDirectory;
    }

    @Override
    protected File outputDirectory() {
        return testOutputDirectory;
    }

    @Override
    protected File resourceDirectory() {
        return testResourceDirectory;
    }

    @Override
    protected boolean skipGoal() {
        return skipTests;
    }

    @Override
    protected void addRoots(MavenProject project) {
        project.addTestCompileSourceRoot(testOutputDirectory.getAbsolutePath());
        String dir = testResourceDirectory.getAbsolutePath();
        if (project.getTestResources().stream().noneMatch(r -> dir.equals(r.getDirectory()))) {
            Resource resource = new Resource();
            resource.setDirectory(dir);
            project.addTestResource(resource);
        }
    }
}
