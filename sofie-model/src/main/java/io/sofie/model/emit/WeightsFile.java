package io.sofie.model.emit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The binary weights resource a generated class reads once: little-endian throughout.
 *
 * <pre>
 * magic    8 bytes  "SOFIEW\r\n"
 * version  int32    1
 * count    int32    number of arrays
 * table    count x (int32 name length, UTF-8 name, int32 element count)
 * data     float32 values of each array in table order
 * crc32    int32    CRC-32 of every byte before it
 * </pre>
 */
public final class WeightsFile {
    public static final byte[] MAGIC = "SOFIEW\r\n".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;

    private final Map<String, float[]> arrays = new LinkedHashMap<>();

    /** Adds an array; order of addition is the order in the file. */
    void add(String name, float[] data) {
        if (arrays.putIfAbsent(name, data) != null) {
            throw new IllegalArgumentException("duplicate weights entry " + name);
        }
    }

    public int count() {
        return arrays.size();
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(header);
            out.write(MAGIC);
            out.write(le(VERSION));
            out.write(le(arrays.size()));
            long floats = 0;
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.write(le(name.length));
                out.write(name);
                out.write(le(e.getValue().length));
                floats += e.getValue().length;
            }
            out.flush();
            long total = header.size() + 4 * floats + 4;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("weights exceed 2 GB");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(header.toByteArray());
            for (float[] a : arrays.values()) {
                buf.asFloatBuffer().put(a);
                buf.position(buf.position() + 4 * a.length);
            }
            CRC32 crc = new CRC32();
            crc.update(buf.array(), 0, buf.position());
            buf.putInt((int) crc.getValue());
            return buf.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
