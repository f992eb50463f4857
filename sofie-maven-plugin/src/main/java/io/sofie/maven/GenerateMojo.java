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
 * {@code modelDirectory}, and adds the output directories to the project as a compile source root and a resource
 * root.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractGenerateMojo {
    // The parameters shared with generate-test are declared and read in AbstractGenerateMojo; here are only the ones
    // whose defaults differ.

    /** Where the model files are. A missing directory means there is nothing to generate. */
    @Parameter(property = "sofie.modelDirectory", defaultValue = "${project.basedir}/src/main/models", required = true)
    private File modelDirectory;

    /** Where the generated Java sources go; added to the project as a compile source root. */
    @Parameter(property = "sofie.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/sofie", required = true)
    private File outputDirectory;

    /** Where the generated weights resources go; added to the project as a resource root. */
    @Parameter(property = "sofie.resourceDirectory",
            defaultValue = "${project.build.directory}/generated-resources/sofie", required = true)
    private File resourceDirectory;

    @Inject
    public GenerateMojo(BuildContext buildContext) {
        super(buildContext);
    }

    @Override
    protected File modelDirectory() {
        return modelDirectory;
    }

    @Override
    protected File outputDirectory() {
        return outputDirectory;
    }

    @Override
    protected File resourceDirectory() {
        return resourceDirectory;
    }

    @Override
    protected void addRoots(MavenProject project) {
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        String dir = resourceDirectory.getAbsolutePath();
        if (project.getResources().stream().noneMatch(r -> dir.equals(r.getDirectory()))) {
            Resource resource = new Resource();
            resource.setDirectory(dir);
            project.addResource(resource);
        }
    }
}
