package io.sofie.maven;

import io.sofie.keras.KerasImporter;
import io.sofie.keras.reader.SplitPairing;
import io.sofie.model.emit.JavaEmitter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the previous run of one execution generated, kept under target/ so that an unchanged model is not generated
 * again and the output of a model since removed or renamed can be deleted. It holds one fingerprint of the settings
 * every model depends on (plugin jars, packageName, output directories) and, per model, a fingerprint of that model
 * (its file(s) and names) with the files generated from it.
 */
final class GenerationState {
    private static final String HEADER = "# sofie-maven-plugin state; delete to force regeneration";
    private static final String SETTINGS = "settings ";
    private static final String MODEL = "model ";
    private static final String FINGERPRINT = "fingerprint ";
    private static final String OUTPUT = "output ";

    /** One model's record: its fingerprint and the absolute paths generated from it. */
    record Entry(String fingerprint, List<Path> outputs) {
        Entry {
            outputs = List.copyOf(outputs);
        }

        boolean outputsExist() {
            return outputs.stream().allMatch(Files::isRegularFile);
        }
    }

    private final String settings;
    private final Map<String, Entry> models;

    GenerationState(String settings, Map<String, Entry> models) {
        this.settings = settings;
        this.models = new LinkedHashMap<>(models);
    }

    static GenerationState empty() {
        return new GenerationState("", Map.of());
    }

    String settings() {
        return settings;
    }

    /** Entries by model display name, in the order they were written. */
    Map<String, Entry> models() {
        return models;
    }

    /** Every file the state lists. */
    List<Path> outputs() {
        List<Path> all = new ArrayList<>();
        models.values().forEach(e -> all.addAll(e.outputs()));
        return all;
    }

    /**
     * The previous output of this model if it can be kept: same settings, same model fingerprint, and its files are
     * still there.
     */
    Optional<Entry> current(String currentSettings, String model, String fingerprint) {
        Entry e = models.get(model);
        if (!settings.equals(currentSettings) || e == null || !e.fingerprint().equals(fingerprint)
                || !e.outputsExist()) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** The state stored at {@code file}, or an empty state when there is none or it cannot be read. */
    static GenerationState read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            String settings = "";
            Map<String, Entry> models = new LinkedHashMap<>();
            String model = null;
            String fingerprint = null;
            List<Path> outs = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(SETTINGS)) {
                    settings = line.substring(SETTINGS.length());
                } else if (line.startsWith(MODEL)) {
                    if (model != null) {
                        models.put(model, new Entry(fingerprint, outs));
                    }
                    model = line.substring(MODEL.length());
                    fingerprint = "";
                    outs = new ArrayList<>();
                } else if (line.startsWith(FINGERPRINT) && model != null) {
                    fingerprint = line.substring(FINGERPRINT.length());
                } else if (line.startsWith(OUTPUT) && model != null) {
                    outs.add(Path.of(line.substring(OUTPUT.length())));
                }
            }
            if (model != null) {
                models.put(model, new Entry(fingerprint, outs));
            }
            return new GenerationState(settings, models);
        } catch (IOException | RuntimeException e) {
            // A damaged state only costs a regeneration.
            return empty();
        }
    }

    byte[] toBytes() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append(SETTINGS).append(settings).append('\n');
        models.forEach((name, e) -> {
            sb.append(MODEL).append(name).append('\n');
            sb.append(FINGERPRINT).append(e.fingerprint()).append('\n');
            for (Path p : e.outputs()) {
                sb.append(OUTPUT).append(p.toAbsolutePath()).append('\n');
            }
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Describes what every model's output depends on: the configuration values given and the jars of the generator
     * itself (path, size, time), so that a rebuilt SNAPSHOT plugin or a new plugin version regenerates everything.
     * Plain text rather than a hash: cheaper to compute, and the state file shows why a build regenerated.
     */
    static String settingsFingerprint(List<String> configuration) throws IOException {
        List<String> parts = new ArrayList<>(configuration);
        for (Class<?> generatorPart : List.of(GenerationState.class, KerasImporter.class, JavaEmitter.class)) {
            Optional<Path> jar = codeSource(generatorPart);
            parts.add(jar.isPresent() ? describe(jar.get()) : generatorPart.getName());
        }
        return join(parts);
    }

    /**
     * Describes what one model's output depends on besides the settings: its class name and its file (and a split
     * pair's weights file) by path, size and modification time, as make does; reading the content would cost a full
     * read of every model on every build.
     */
    static String modelFingerprint(ModelSource s) throws IOException {
        List<String> parts = new ArrayList<>(List.of(s.qualifiedName(), describe(s.path())));
        if (s.path().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            Optional<Path> weights = SplitPairing.weightsFor(s.path());
            parts.add(weights.isPresent() ? describe(weights.get()) : "no weights");
        }
        return join(parts);
    }

    private static String join(List<String> parts) {
        // One line in the state file whatever the names hold.
        return String.join(" | ", parts).replace('\n', ' ').replace('\r', ' ');
    }

    private static String describe(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return p.toAbsolutePath() + " " + a.size() + " " + a.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            return p.toAbsolutePath() + " missing";
        }
    }

    private static Optional<Path> codeSource(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            // A class directory (tests, IDE) has no single timestamp worth hashing; its class file does.
            return Optional.of(Files.isDirectory(p)
                    ? p.resolve(c.getName().replace('.', '/') + ".class") : p);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
