package io.sofie.keras;

import java.util.Locale;

/**
 * How much memory one model may ask for, checked from declared sizes before anything is allocated: a corrupt or
 * hostile file can declare a weight of 2^40 floats or an input of 2^31 time steps in a few bytes. The bound is half
 * of the JVM's maximum heap ({@link Runtime#maxMemory()}), for one weight array (read and converted) and for the
 * activations of one sample.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /** The most bytes a single weight array, or the activations of one sample, may need. */
    public static long maxBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** True when {@code bytes} (a double, so that products of corrupt dimensions cannot overflow) is affordable. */
    public static boolean fits(double bytes) {
        return bytes <= maxBytes();
    }

    /** The number of elements of a shape as a double, without overflow. */
    public static double elements(long... dims) {
        double n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The number of elements of a shape as a double, without overflow. */
    public static double elements(int... dims) {
        double n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** {@code bytes} for a message, such as {@code 8,192 MB}. */
    public static String megabytes(double bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", Math.ceil(bytes / (1 << 20)));
    }

    /** The sentence that ends every refusal: what the limit is and how to raise it. */
    public static String limitAdvice() {
        return "this JVM allows " + megabytes(maxBytes()) + " (half its maximum heap); if the model really is this "
                + "large, raise the heap with -Xmx (for Maven: MAVEN_OPTS=-Xmx...), else the file is corrupt: save the "
                + "model again";
    }
}
