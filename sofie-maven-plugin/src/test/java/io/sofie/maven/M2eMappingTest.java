package io.sofie.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Eclipse m2e runs every generating goal on incremental builds and on configuration changes. */
class M2eMappingTest {

    @Test
    void everyGoalButHelpIsMappedToRunOnIncrementalAndOnConfiguration() throws Exception {
        Document mapping = parse("/META-INF/m2e/lifecycle-mapping-metadata.xml");
        Document plugin = parse("/META-INF/maven/plugin.xml");

        List<String> goals = new ArrayList<>();
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            String goal = text((Element) mojos.item(i), "goal");
            if (!goal.equals("help")) {
                goals.add(goal);
            }
        }
        assertEquals(List.of("generate", "generate-test"), goals.stream().sorted().toList());

        NodeList executions = mapping.getElementsByTagName("pluginExecution");
        assertEquals(1, executions.getLength());
        Element execution = (Element) executions.item(0);
        List<String> mapped = new ArrayList<>();
        NodeList goalNodes = execution.getElementsByTagName("goal");
        for (int i = 0; i < goalNodes.getLength(); i++) {
            mapped.add(goalNodes.item(i).getTextContent().trim());
        }
        assertEquals(goals.stream().sorted().toList(), mapped.stream().sorted().toList());
        assertEquals("true", text(execution, "runOnIncremental"));
        assertEquals("true", text(execution, "runOnConfiguration"));
    }

    private static Document parse(String resource) throws Exception {
        try (InputStream in = M2eMappingTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
