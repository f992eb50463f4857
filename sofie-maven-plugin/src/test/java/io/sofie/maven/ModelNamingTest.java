package io.sofie.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** Class and package names of models: derived from file names, or given per model in {@code <models>}. */
class ModelNamingTest {
    private static final String PKG = "com.example.models";

    @Test
    void classNameComesFromTheFileNameAndPackageFromTheParameter() throws Exception {
        List<ModelSource> named = new ModelNaming(PKG, List.of()).name(files("jet_tagger.h5", "v2/my-model.v2.keras"));

        assertEquals(List.of("com.example.models.JetTagger", "com.example.models.MyModelV2"), qualified(named));
    }

    @Test
    void overrideSetsClassAndPackageOfItsModelOnly() throws Exception {
        ModelNaming naming = new ModelNaming(PKG, List.of(new ModelOverride("jet_tagger.h5", "Tagger", "com.x.y"),
                new ModelOverride("./v2\\other.h5", "OtherV2", null)));

        List<ModelSource> named = naming.name(files("jet_tagger.h5", "plain.h5", "v2/other.h5"));

        assertEquals(List.of("com.x.y.Tagger", "com.example.models.Plain", "com.example.models.OtherV2"),
                qualified(named));
    }

    @Test
    void overridesResolveAClashAndTheSameClassInAnotherPackageIsNoClash() throws Exception {
        List<ModelFile> files = files("a/jet_tagger.h5", "b/jet-tagger.keras");
        MojoFailureException clash = assertThrows(MojoFailureException.class,
                () -> new ModelNaming(PKG, List.of()).name(files));
        assertTrue(clash.getMessage().contains("a/jet_tagger.h5") && clash.getMessage().contains("b/jet-tagger.keras")
                && clash.getMessage().contains("<className>"), clash.getMessage());

        List<ModelSource> named = new ModelNaming(PKG, List.of(new ModelOverride("b/jet-tagger.keras", null,
                "com.example.b"))).name(files);

        assertEquals(List.of("com.example.models.JetTagger", "com.example.b.JetTagger"), qualified(named));
    }

    @Test
    void anOverriddenClassNameTakesPartInTheClashCheck() throws Exception {
        ModelNaming naming = new ModelNaming(PKG, List.of(new ModelOverride("a.h5", "Beta", null)));

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> naming.name(files("a.h5", "beta.h5")));

        assertTrue(e.getMessage().contains("a.h5 and beta.h5") && e.getMessage().contains("com.example.models.Beta"),
                e.getMessage());
    }

    @Test
    void classNamesDifferingOnlyInCaseClash() {
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> new ModelNaming(PKG, List.of()).name(files("JetTagger.h5", "jettagger.keras")));

        assertTrue(e.getMessage().contains("JetTagger.h5") && e.getMessage().contains("jettagger.keras")
                && e.getMessage().contains("case-insensitive"), e.getMessage());
    }

    @Test
    void keywordOrNonIdentifierClassNameFailsNamingTheFile() {
        for (String bad : List.of("class", "1Tagger", "Jet-Tagger", "", "my.Tagger")) {
            MojoFailureException e = assertThrows(MojoFailureException.class,
                    () -> new ModelNaming(PKG, List.of(new ModelOverride("jet_tagger.h5", bad, null))), bad);
            assertTrue(e.getMessage().contains("jet_tagger.h5") && e.getMessage().contains("not a valid Java class")
                    && e.getMessage().contains("<className>" + bad + "</className>"), e.getMessage());
        }
    }

    @Test
    void invalidPackageNameFailsNamingTheFile() {
        for (String bad : List.of("com.example.int", "com..x", "com.1x", " ", "com.x-y")) {
            MojoFailureException e = assertThrows(MojoFailureException.class,
                    () -> new ModelNaming(PKG, List.of(new ModelOverride("jet_tagger.h5", null, bad))), bad);
            assertTrue(e.getMessage().contains("jet_tagger.h5") && e.getMessage().contains("not a valid Java package"),
                    e.getMessage());
        }
    }

    @Test
    void overrideOfAFileThatIsNoModelFailsSayingWhereFilesAreLooked() throws Exception {
        ModelNaming naming = new ModelNaming(PKG, List.of(new ModelOverride("src/main/models/a.h5", "A", null)));

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> naming.name(files("a.h5")));

        assertTrue(e.getMessage().contains("src/main/models/a.h5") && e.getMessage().contains("relative to "
                + "modelDirectory"), e.getMessage());
    }

    @Test
    void overrideWithoutFileOrTwiceForOneFileFails() {
        assertThrows(MojoFailureException.class,
                () -> new ModelNaming(PKG, List.of(new ModelOverride(null, "A", null))));
        MojoFailureException twice = assertThrows(MojoFailureException.class, () -> new ModelNaming(PKG,
                List.of(new ModelOverride("a.h5", "A", null), new ModelOverride("a.h5", "B", null))));
        assertTrue(twice.getMessage().contains("a.h5"), twice.getMessage());
    }

    private static List<ModelFile> files(String... names) {
        return java.util.Arrays.stream(names).map(n -> new ModelFile(Path.of("/models").resolve(n), n)).toList();
    }

    private static List<String> qualified(List<ModelSource> sources) {
        return sources.stream().map(ModelSource::qualifiedName).toList();
    }
}
