package io.sofie.keras.reader;

import io.jhdf.checksum.ChecksumUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits bytes of an HDF5 file written by jhdf, to make the variants jhdf's writer cannot produce but Keras files
 * contain (big-endian and half-precision datatypes, strings labelled ASCII that hold UTF-8). Changes inside an
 * object header get that header's checksum recomputed; the edits keep every message's length.
 */
final class Hdf5Patch {
    private static final byte[] OHDR = {'O', 'H', 'D', 'R'};

    private Hdf5Patch() {
    }

    /** Replaces every occurrence of {@code find} inside object headers (there must be at least one). */
    static int replaceInHeaders(byte[] file, byte[] find, byte[] replacement) {
        List<Integer> at = occurrences(file, find);
        if (at.isEmpty()) {
            throw new IllegalStateException("pattern not found in the file");
        }
        for (int offset : at) {
            System.arraycopy(replacement, 0, file, offset, replacement.length);
            fixChecksum(file, offset);
        }
        return at.size();
    }

    /** Replaces the single occurrence of {@code find} in raw (unchecksummed) data. */
    static void replaceData(byte[] file, byte[] find, byte[] replacement) {
        List<Integer> at = occurrences(file, find);
        if (at.size() != 1) {
            throw new IllegalStateException("expected one occurrence of the data, found " + at.size());
        }
        System.arraycopy(replacement, 0, file, at.get(0), replacement.length);
    }

    /** Recomputes the Jenkins lookup3 checksum of the version-2 object header chunk holding {@code offset}. */
    private static void fixChecksum(byte[] file, int offset) {
        int start = -1;
        for (int i : occurrences(file, OHDR)) {
            if (i <= offset) {
                start = i;
            }
        }
        if (start < 0 || file[start + 4] != 2) {
            throw new IllegalStateException("no version-2 object header before offset " + offset);
        }
        int flags = file[start + 5] & 0xff;
        int pos = start + 6;
        if ((flags & 0x20) != 0) {
            pos += 16; // access, modification, change and birth times
        }
        if ((flags & 0x10) != 0) {
            pos += 4; // attribute storage phase change values
        }
        int sizeBytes = 1 << (flags & 3);
        long chunkSize = 0;
        for (int i = 0; i < sizeBytes; i++) {
            chunkSize |= (long) (file[pos + i] & 0xff) << (8 * i);
        }
        int end = pos + sizeBytes + (int) chunkSize;
        if (offset >= end) {
            throw new IllegalStateException("offset " + offset + " is not inside the object header at " + start);
        }
        int sum = ChecksumUtils.checksum(ByteBuffer.wrap(file, start, end - start).slice());
        ByteBuffer.wrap(file, end, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(sum);
    }

    static List<Integer> occurrences(byte[] file, byte[] find) {
        List<Integer> at = new ArrayList<>();
        outer:
        for (int i = 0; i + find.length <= file.length; i++) {
            for (int j = 0; j < find.length; j++) {
                if (file[i + j] != find[j]) {
                    continue outer;
                }
            }
            at.add(i);
        }
        return at;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** jhdf's float32 datatype message body: IEEE little-endian single precision. */
    static final byte[] FLOAT32_LE = bytes(0x11, 0x20, 0x1f, 0x00, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0);
    /** The same, big-endian (byte order bit set). */
    static final byte[] FLOAT32_BE = bytes(0x11, 0x21, 0x1f, 0x00, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0);
    /** IEEE half precision, little-endian: 2 bytes, sign bit 15, exponent 5 bits at 10, mantissa 10, bias 15. */
    static final byte[] FLOAT16_LE = bytes(0x11, 0x20, 0x0f, 0x00, 2, 0, 0, 0, 0, 0, 16, 0, 10, 5, 0, 10, 15, 0, 0, 0);
}
