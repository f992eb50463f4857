package io.sofie.model.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A NumPy {@code .npy} array (little-endian float32 or int32, C order), read as floats, for op-level references. */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public final int[] shape;
    public final float[] data;

    private Npy(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    public static Npy read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.get() != (byte) 0x93 || buf.get() != 'N') {
            throw new IOException(file + " is not a .npy file");
        }
        buf.position(6);
        int major = buf.get();
        buf.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        byte[] h = new byte[headerLen];
        buf.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) {
            throw new IOException(file + " is in Fortran order");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(file + ": cannot read header " + header);
        }
        String[] parts = s.group(1).split(",");
        int count = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                dims[count++] = Integer.parseInt(p.trim());
            }
        }
        int[] shape = java.util.Arrays.copyOf(dims, count);
        int n = 1;
        for (int x : shape) {
            n *= x;
        }
        float[] data = new float[n];
        switch (d.group(1)) {
            case "<f4":
                for (int i = 0; i < n; i++) {
                    data[i] = buf.getFloat();
                }
                break;
            case "<i4":
                for (int i = 0; i < n; i++) {
                    data[i] = buf.getInt();
                }
                break;
            case "<i8":
                for (int i = 0; i < n; i++) {
                    data[i] = buf.getLong();
                }
                break;
            default:
                throw new IOException(file + ": dtype " + d.group(1) + " is not supported here");
        }
        return new Npy(shape, data);
    }
}
