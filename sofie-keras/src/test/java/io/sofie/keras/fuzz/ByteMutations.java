package io.sofie.keras.fuzz;

import java.util.Arrays;
import java.util.Random;

/**
 * Byte-level mutations of a file, as a fuzzer makes them: bit flips, overwritten runs, "interesting" integers
 * (sizes and addresses HDF5 and zip readers trust), truncation, and a chunk copied elsewhere. Each returns a new
 * array and appends what it did to {@code log}.
 */
final class ByteMutations {
    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL, 0xffffffffL,
            0x80000000L, 0x10000, 0x1000000, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};

    private ByteMutations() {
    }

    static byte[] any(byte[] in, Random rnd, StringBuilder log) {
        switch (rnd.nextInt(6)) {
            case 0:
            case 1:
                return flipBits(in, rnd, log);
            case 2:
                return overwriteRun(in, rnd, log);
            case 3:
                return interestingInteger(in, rnd, log);
            case 4:
                return duplicateChunk(in, rnd, log);
            default:
                return truncate(in, rnd, log);
        }
    }

    static byte[] flipBits(byte[] in, Random rnd, StringBuilder log) {
        byte[] out = in.clone();
        int flips = 1 + rnd.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = rnd.nextInt(out.length);
            int bit = rnd.nextInt(8);
            out[at] ^= (byte) (1 << bit);
            log.append(" flip@").append(at).append('.').append(bit);
        }
        return out;
    }

    static byte[] overwriteRun(byte[] in, Random rnd, StringBuilder log) {
        byte[] out = in.clone();
        int at = rnd.nextInt(out.length);
        int len = Math.min(out.length - at, 1 + rnd.nextInt(64));
        int mode = rnd.nextInt(3);
        for (int i = 0; i < len; i++) {
            out[at + i] = mode == 0 ? 0 : mode == 1 ? (byte) 0xff : (byte) rnd.nextInt(256);
        }
        log.append(" run@").append(at).append('+').append(len).append(mode == 0 ? "=00" : mode == 1 ? "=ff" : "=rnd");
        return out;
    }

    static byte[] interestingInteger(byte[] in, Random rnd, StringBuilder log) {
        byte[] out = in.clone();
        int width = 1 << rnd.nextInt(4);
        int at = rnd.nextInt(Math.max(1, out.length - width + 1)) & ~(rnd.nextBoolean() ? width - 1 : 0);
        long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
        for (int i = 0; i < width && at + i < out.length; i++) {
            out[at + i] = (byte) (v >>> (8 * i)); // little-endian, as HDF5 stores sizes and addresses
        }
        log.append(" int").append(8 * width).append('@').append(at).append('=').append(v);
        return out;
    }

    static byte[] duplicateChunk(byte[] in, Random rnd, StringBuilder log) {
        int from = rnd.nextInt(in.length);
        int len = Math.min(in.length - from, 1 + rnd.nextInt(512));
        int to = rnd.nextInt(in.length);
        if (rnd.nextBoolean()) {
            byte[] out = in.clone();
            System.arraycopy(in, from, out, to, Math.min(len, out.length - to));
            log.append(" copy@").append(from).append('+').append(len).append("->").append(to);
            return out;
        }
        byte[] out = new byte[in.length + len];
        System.arraycopy(in, 0, out, 0, to);
        System.arraycopy(in, from, out, to, len);
        System.arraycopy(in, to, out, to + len, in.length - to);
        log.append(" insert@").append(from).append('+').append(len).append("->").append(to);
        return out;
    }

    static byte[] truncate(byte[] in, Random rnd, StringBuilder log) {
        int keep = rnd.nextBoolean() ? rnd.nextInt(in.length) : in.length - 1 - rnd.nextInt(Math.min(in.length, 64));
        log.append(" truncate@").append(keep);
        return Arrays.copyOf(in, keep);
    }
}
