package io.sofie.keras.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** One mutated model file: its bytes and a description of the mutations, enough to reproduce it by hand. */
final class Mutant {
    final byte[] bytes;
    final String description;

    private Mutant(byte[] bytes, String description) {
        this.bytes = bytes;
        this.description = description;
    }

    static Mutant of(FuzzSeed seed, Random rnd) {
        StringBuilder log = new StringBuilder(seed.id);
        byte[] bytes = seed.isArchive() ? archive(seed, rnd, log) : hdf5(seed, rnd, log);
        return new Mutant(bytes, log.toString());
    }

    /** model.h5: raw bytes, the config JSON in place, or both. */
    private static byte[] hdf5(FuzzSeed seed, Random rnd, StringBuilder log) {
        int kind = rnd.nextInt(20);
        byte[] bytes = seed.bytes;
        if (kind >= 9) {
            byte[] withConfig = seed.withConfig(ConfigMutations.mutate(seed.config, 1 + rnd.nextInt(3), rnd, log));
            if (withConfig != null) {
                bytes = withConfig;
            }
        }
        if (kind < 9 || kind >= 17) {
            bytes = bytes(bytes, rnd, log);
        }
        return bytes;
    }

    /** model.keras: config.json (as a tree or as text), model.weights.h5 bytes, members, or the zip's own bytes. */
    private static byte[] archive(FuzzSeed seed, Random rnd, StringBuilder log) {
        int kind = rnd.nextInt(20);
        Map<String, byte[]> replaced = new HashMap<>();
        if (kind < 7 || kind >= 17) {
            JsonNode c = ConfigMutations.mutate(seed.config, 1 + rnd.nextInt(3), rnd, log);
            replaced.put("config.json", FuzzSeed.toBytes(c));
        } else if (kind < 8) {
            log.append(" config.json bytes:");
            replaced.put("config.json", bytes(seed.members.get("config.json"), rnd, log));
        } else if (kind < 9) {
            String member = rnd.nextBoolean() ? "metadata.json" : "model.weights.h5";
            log.append(" -").append(member);
            replaced.put(member, rnd.nextBoolean() ? null : "{}".getBytes(StandardCharsets.UTF_8));
        }
        if (kind >= 9 && kind < 14 || kind >= 17) {
            log.append(" model.weights.h5:");
            replaced.put("model.weights.h5", bytes(seed.members.get("model.weights.h5"), rnd, log));
        }
        byte[] zip = seed.zip(replaced);
        if (kind >= 14 && kind < 17) {
            log.append(" zip:");
            zip = bytes(zip, rnd, log);
        }
        return zip;
    }

    private static byte[] bytes(byte[] in, Random rnd, StringBuilder log) {
        byte[] out = in;
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n && out.length > 0; i++) {
            out = ByteMutations.any(out, rnd, log);
        }
        return out;
    }
}
