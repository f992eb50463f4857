package io.sofie.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** {@code mvn sofie:help -Ddetail}: the generated help goal lists both goals and their parameters. */
@MojoTest
class HelpMojoTest {

    @Test
    @Basedir("src/test/projects/generate")
    @InjectMojo(goal = "help", pom = "pom.xml")
    void listsBothGoalsWithTheirParameters(HelpMojo mojo) throws Exception {
        List<String> lines = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void debug(CharSequence content) {
            }
        });
        setVariableValueToObject(mojo, "detail", true);

        mojo.execute();

        String help = String.join("\n", lines);
        for (String expected : List.of("sofie:generate", "sofie:generate-test", "sofie:help", "packageName",
                "testModelDirectory", "models", "sofie.skip", "generated-test-sources/sofie")) {
            assertTrue(help.contains(expected), "help mentions " + expected + ":\n" + help);
        }
    }
}
