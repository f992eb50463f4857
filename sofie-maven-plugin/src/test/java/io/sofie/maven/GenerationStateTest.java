package io.sofie.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.keras.KerasImporter;
import io.sofie.model.emit.JavaEmitter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file and what its fingerprints notice. */
class GenerationStateTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsModelsWithTheirFingerprintsAndOutputs() throws Exception {
        Path a = Files.writeString(dir.resolve("A.java"), "a");
        Path b = Files.writeString(dir.resolve("A.weights"), "b");
        Map<String, GenerationState.Entry> models = new LinkedHashMap<>();
        models.put("sub dir/a model.h5", new GenerationState.Entry("x | y 1 2", List.of(a, b)));
        models.put("z.keras", new GenerationState.Entry("z", List.of()));
        Path file = dir.resolve("state");
        Files.write(file, new GenerationState("settings | s", models).toBytes());

        GenerationState read = GenerationState.read(file);

        assertEquals("settings | s", read.settings());
        assertEquals(models, read.models());
        assertTrue(read.current("settings | s", "sub dir/a model.h5", "x | y 1 2").isPresent());
        assertFalse(read.current("other settings", "sub dir/a model.h5", "x | y 1 2").isPresent());
        assertFalse(read.current("settings | s", "sub dir/a model.h5", "changed").isPresent());
        Files.delete(b);
        assertFalse(read.current("settings | s", "sub dir/a model.h5", "x | y 1 2").isPresent(),
                "an output deleted by hand makes the model stale");
    }

    @Test
    void aMissingOrDamagedStateIsEmpty() throws Exception {
        assertTrue(GenerationState.read(dir.resolve("absent")).models().isEmpty());
        Path damaged = Files.write(dir.resolve("damaged"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertTrue(GenerationState.read(damaged).models().isEmpty());
        Files.writeString(damaged, "model x\nmodel\n", StandardCharsets.UTF_8);
        assertEquals("", GenerationState.read(damaged).settings());
    }

    @Test
    void modelFingerprintFollowsTheFileTimeSizeAndClassName() throws Exception {
        Path model = Files.writeString(dir.resolve("m.h5"), "one");
        ModelSource source = new ModelSource(model, "m.h5", "com.x", "M");
        String first = GenerationState.modelFingerprint(source);

        assertEquals(first, GenerationState.modelFingerprint(source));
        assertNotEquals(first, GenerationState.modelFingerprint(new ModelSource(model, "m.h5", "com.y", "M")));
        assertNotEquals(first, GenerationState.modelFingerprint(new ModelSource(model, "m.h5", "com.x", "N")));
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() + 1000));
        String touched = GenerationState.modelFingerprint(source);
        assertNotEquals(first, touched);
        Files.writeString(model, "three"); // another size, whatever the time resolution
        assertNotEquals(touched, GenerationState.modelFingerprint(source));
    }

    @Test
    void splitPairFingerprintFollowsItsWeightsFile() throws Exception {
        Path json = Files.writeString(dir.resolve("net.json"), "{}");
        Path weights = Files.writeString(dir.resolve("net.weights.h5"), "w");
        ModelSource source = new ModelSource(json, "net.json", "com.x", "Net");
        String first = GenerationState.modelFingerprint(source);

        Files.writeString(weights, "changed weights");

        assertNotEquals(first, GenerationState.modelFingerprint(source));
    }

    @Test
    void settingsFingerprintNamesTheConfigurationAndTheGeneratorsJars() throws Exception {
        String settings = GenerationState.settingsFingerprint(List.of("/out", "com.example"));

        assertNotEquals(settings, GenerationState.settingsFingerprint(List.of("/out", "com.other")));
        for (Class<?> part : List.of(KerasImporter.class, JavaEmitter.class, GenerationState.class)) {
            Path location = Path.of(part.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(settings.contains(location.toString()), part + " at " + location + " in " + settings);
        }
    }
}
