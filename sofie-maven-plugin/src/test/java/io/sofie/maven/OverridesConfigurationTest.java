package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/** Maven's configurator turns {@code <models><model>...</model></models>} into {@link ModelOverride}s. */
@MojoTest
class OverridesConfigurationTest {

    @Test
    @Basedir("src/test/projects/overrides")
    @InjectMojo(goal = "generate", pom = "pom.xml")
    void modelElementsBecomeOverrides(GenerateMojo mojo) throws Exception {
        @SuppressWarnings("unchecked")
        List<ModelOverride> models = (List<ModelOverride>) getVariableValueFromObject(mojo, "models");

        assertEquals(2, models.size());
        assertEquals("sequential_mlp.h5", models.get(0).getFile());
        assertEquals("Tagger", models.get(0).getClassName());
        assertEquals("com.x.y", models.get(0).getPackageName());
        assertEquals("merge_ops.h5", models.get(1).getFile());
        assertEquals("Merger", models.get(1).getClassName());
        assertEquals(null, models.get(1).getPackageName());
    }
}
