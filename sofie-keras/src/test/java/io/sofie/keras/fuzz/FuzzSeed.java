package io.sofie.keras.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A good model file to mutate: a legacy {@code model.h5}, whose {@code model_config} JSON lies in the file as an
 * unchecksummed fixed-length string (so a mutated config can be written back in place, padded with spaces), or a
 * {@code model.keras} zip, kept as its members so a mutated member can be zipped again.
 */
final class FuzzSeed {
    static final ObjectMapper JSON = new ObjectMapper();

    final String id;
    final String fileName;
    final byte[] bytes;
    /** For model.h5: where the model_config JSON text starts and ends in {@link #bytes}. */
    final int jsonStart;
    final int jsonEnd;
    /** For model.keras: members in archive order. */
    final Map<String, byte[]> members;
    final JsonNode config;

    private FuzzSeed(String id, String fileName, byte[] bytes, int jsonStart, int jsonEnd,
            Map<String, byte[]> members, JsonNode config) {
        this.id = id;
        this.fileName = fileName;
        this.bytes = bytes;
        this.jsonStart = jsonStart;
        this.jsonEnd = jsonEnd;
        this.members = members;
        this.config = config;
    }

    boolean isArchive() {
        return members != null;
    }

    static FuzzSeed read(Path file, String id) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".keras")) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    members.put(e.getName(), in.readAllBytes());
                }
            }
            JsonNode config = JSON.readTree(members.get("config.json"));
            return new FuzzSeed(id, name, bytes, -1, -1, members, config);
        }
        int start = indexOf(bytes, "{\"class_name\"".getBytes(StandardCharsets.US_ASCII));
        int end = jsonEnd(bytes, start);
        JsonNode config = JSON.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        return new FuzzSeed(id, name, bytes, start, end, null, config);
    }

    /** The h5 file with {@code config} in place of its model_config, or null when it does not fit. */
    byte[] withConfig(JsonNode mutated) {
        byte[] json = toBytes(mutated);
        int room = jsonEnd - jsonStart;
        if (json.length > room) {
            return null;
        }
        byte[] out = bytes.clone();
        System.arraycopy(json, 0, out, jsonStart, json.length);
        Arrays.fill(out, jsonStart + json.length, jsonEnd, (byte) ' ');
        return out;
    }

    /** The archive with {@code replaced} members (null values remove a member), zipped again. */
    byte[] zip(Map<String, byte[]> replaced) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(bytes.length + 1024);
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            z.setLevel(Deflater.BEST_SPEED);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                byte[] data = replaced.containsKey(m.getKey()) ? replaced.get(m.getKey()) : m.getValue();
                if (data != null) {
                    z.putNextEntry(new ZipEntry(m.getKey()));
                    z.write(data);
                    z.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] data, byte[] find) {
        outer:
        for (int i = 0; i + find.length <= data.length; i++) {
            for (int j = 0; j < find.length; j++) {
                if (data[i + j] != find[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no model_config JSON in the file");
    }

    /** The end of the JSON object starting at {@code start}: its closing brace, strings and escapes skipped. */
    private static int jsonEnd(byte[] data, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < data.length; i++) {
            byte b = data[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unterminated model_config JSON");
    }
}
