package io.sofie.maven;

import io.sofie.keras.KerasImporter;
import io.sofie.keras.reader.SplitPairing;
import io.sofie.model.emit.JavaEmitter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the previous run of one execution generated, kept under target/ so that an unchanged build can skip the
 * generation, and so that output of a model that was since removed or renamed can be deleted. A state is a
 * fingerprint of everything the output depends on (model files, configuration, the generator's own jars) plus the
 * list of files written.
 */
final class GenerationState {
    private static final String FINGERPRINT = "fingerprint ";
    private static final String OUTPUT = "output ";

    private final String fingerprint;
    private final List<Path> outputs;

    GenerationState(String fingerprint, List<Path> outputs) {
        this.fingerprint = fingerprint;
        this.outputs = List.copyOf(outputs);
    }

    String fingerprint() {
        return fingerprint;
    }

    List<Path> outputs() {
        return outputs;
    }

    /** True when this state has the given fingerprint and every file it lists is still there. */
    boolean isCurrent(String currentFingerprint) {
        return fingerprint.equals(currentFingerprint) && outputs.stream().allMatch(Files::isRegularFile);
    }

    /** The state stored at {@code file}, or an empty state when there is none or it cannot be read. */
    static GenerationState read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new GenerationState("", List.of());
        }
        try {
            String fp = "";
            List<Path> outs = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(FINGERPRINT)) {
                    fp = line.substring(FINGERPRINT.length());
                } else if (line.startsWith(OUTPUT)) {
                    outs.add(Path.of(line.substring(OUTPUT.length())));
                }
            }
            return new GenerationState(fp, outs);
        } catch (IOException | RuntimeException e) {
            // A damaged state only costs a regeneration.
            return new GenerationState("", List.of());
        }
    }

    byte[] toBytes() {
        StringBuilder sb = new StringBuilder("# sofie-maven-plugin generate state; delete to force regeneration\n");
        sb.append(FINGERPRINT).append(fingerprint).append('\n');
        for (Path p : outputs) {
            sb.append(OUTPUT).append(p.toAbsolutePath()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Hashes what the generated output depends on: the configuration values given, each model's file (and a split
     * pair's weights file) by path, size and modification time, and the jars of the generator itself, so that a
     * rebuilt SNAPSHOT plugin regenerates.
     */
    static String fingerprint(List<String> configuration, List<ModelSource> sources) throws IOException {
        MessageDigest sha = sha256();
        for (String c : configuration) {
            update(sha, "config", c);
        }
        for (Class<?> generatorPart : List.of(GenerateMojo.class, KerasImporter.class, JavaEmitter.class)) {
            Optional<Path> jar = codeSource(generatorPart);
            update(sha, "generator", jar.isPresent() ? describe(jar.get()) : generatorPart.getName());
        }
        for (ModelSource s : sources) {
            update(sha, "model", s.displayName() + " " + s.className() + " " + describe(s.path()));
            if (s.path().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                Optional<Path> weights = SplitPairing.weightsFor(s.path());
                update(sha, "weights", weights.isPresent() ? describe(weights.get()) : "none");
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String describe(Path p) throws IOException {
        if (!Files.exists(p)) {
            return p + " missing";
        }
        return p.toAbsolutePath() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
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

    private static void update(MessageDigest sha, String key, String value) {
        sha.update((key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
