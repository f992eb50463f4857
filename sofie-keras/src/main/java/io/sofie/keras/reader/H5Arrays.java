package io.sofie.keras.reader;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.StringData;
import io.sofie.keras.MemoryBudget;
import io.sofie.model.Shape;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Converts jhdf attribute and dataset values into the plain types the importer uses. */
final class H5Arrays {
    private H5Arrays() {
    }

    /** A dataset as float32, whatever its stored type (float16/32/64, integers, either byte order). */
    static KerasWeight readWeight(String name, Dataset dataset) {
        int[] dims = affordableDimensions(name, dataset);
        Object flat = dataset.isScalar() ? dataset.getData() : dataset.getDataFlat();
        return new KerasWeight(name, Shape.of(dims), toFloats(flat));
    }

    /**
     * The dataset's dimensions, checked from its header before any data is read: the stored array and its float32
     * copy must fit {@link MemoryBudget}, and uncompressed data cannot be larger than the file that holds it.
     */
    private static int[] affordableDimensions(String name, Dataset dataset) {
        long[] dims = dataset.getDimensionsAsLong();
        for (long d : dims) {
            if (d < 0) {
                throw new FileContentException("weight '" + name + "' declares the shape " + Arrays.toString(dims)
                        + ": the file is corrupt; copy it again or save the model again");
            }
        }
        double elements = MemoryBudget.elements(dims);
        double bytes = elements * (Float.BYTES + Math.max(1, dataset.getDataType().getSize()));
        if (elements > Integer.MAX_VALUE - 8 || !MemoryBudget.fits(bytes)) {
            throw new FileContentException("weight '" + name + "' declares the shape " + Arrays.toString(dims)
                    + ", " + String.format(java.util.Locale.ROOT, "%,.0f", elements) + " values that would need "
                    + MemoryBudget.megabytes(bytes) + " to read; nothing was allocated: " + MemoryBudget.limitAdvice());
        }
        if (dataset instanceof ChunkedDataset) {
            // jhdf decompresses a whole chunk at a time, sized by the chunk's declared dimensions.
            int[] chunk = ((ChunkedDataset) dataset).getChunkDimensions();
            double chunkBytes = MemoryBudget.elements(chunk) * Math.max(1, dataset.getDataType().getSize());
            if (!MemoryBudget.fits(chunkBytes)) {
                throw new FileContentException("weight '" + name + "' declares chunks of " + Arrays.toString(chunk)
                        + " values that would need " + MemoryBudget.megabytes(chunkBytes) + " each; nothing was "
                        + "allocated: " + MemoryBudget.limitAdvice());
            }
        }
        if (dataset instanceof ContiguousDataset && dataset.getSizeInBytes() > dataset.getHdfFile().size()) {
            throw new FileContentException("weight '" + name + "' declares " + dataset.getSizeInBytes()
                    + " bytes of data but the whole file has " + dataset.getHdfFile().size()
                    + ": the file is truncated or corrupt; copy it again or save the model again");
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = (int) dims[i];
        }
        return out;
    }

    static float[] toFloats(Object flat) {
        if (flat instanceof float[]) {
            return (float[]) flat;
        }
        if (flat instanceof Number) {
            return new float[] {((Number) flat).floatValue()};
        }
        if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()) {
            int n = Array.getLength(flat);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = ((Number) Array.get(flat, i)).floatValue();
            }
            return out;
        }
        throw new IllegalArgumentException("not a numeric array: " + (flat == null ? "null" : flat.getClass()));
    }

    /**
     * A string or string-list attribute; attributes Keras split because of HDF5's 64 KB header limit
     * ({@code name0}, {@code name1}, ...) are joined. Returns null when absent, an empty list when empty.
     */
    static List<String> stringList(Node node, String name) {
        Attribute whole = node.getAttribute(name);
        if (whole != null) {
            return strings(whole);
        }
        if (node.getAttribute(name + "0") == null) {
            return null;
        }
        List<String> all = new ArrayList<>();
        for (int chunk = 0; node.getAttribute(name + chunk) != null; chunk++) {
            all.addAll(strings(node.getAttribute(name + chunk)));
        }
        return all;
    }

    /** A scalar string attribute, or null when absent or empty. */
    static String string(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null || a.isEmpty()) {
            return null;
        }
        List<String> s = strings(a);
        return s.isEmpty() ? null : s.get(0);
    }

    private static List<String> strings(Attribute a) {
        List<String> out = new ArrayList<>();
        if (a.isEmpty()) {
            return out;
        }
        if (a.getDataType() instanceof StringData) {
            return fixedLengthUtf8(a, (StringData) a.getDataType());
        }
        // jhdf sizes the Java array it returns by the declared element count; a corrupt count must not allocate.
        double declared = (double) a.getSize() * Math.max(1, a.getDataType().getSize());
        if (a.getSize() < 0 || declared > a.getBuffer().remaining()) {
            throw new FileContentException("attribute '" + a.getName() + "' declares " + a.getSize() + " values but "
                    + "stores " + a.getBuffer().remaining() + " bytes: the file is corrupt; copy it again or save "
                    + "the model again");
        }
        collect(a.getData(), out);
        return out;
    }

    /**
     * Fixed-length strings decoded from their bytes as UTF-8. Keras writes names and JSON as UTF-8 bytes
     * ({@code name.encode('utf8')}) into numpy byte strings, which h5py labels ASCII; jhdf would then decode
     * every non-ASCII character as a replacement character.
     */
    private static List<String> fixedLengthUtf8(Attribute a, StringData type) {
        int size = type.getSize();
        ByteBuffer raw = a.getBuffer();
        int base = raw.position();
        long count = a.isScalar() ? 1 : a.getSize();
        if (size < 1 || count < 0 || (double) count * size > raw.limit() - base) {
            // A corrupt header can declare billions of strings in a few stored bytes.
            throw new FileContentException("attribute '" + a.getName() + "' declares " + count + " strings of "
                    + size + " bytes but stores " + (raw.limit() - base) + " bytes: the file is corrupt; copy it "
                    + "again or save the model again");
        }
        boolean spacePadded = type.getPaddingType() == StringData.PaddingType.SPACE_PADDED;
        List<String> out = new ArrayList<>();
        byte[] element = new byte[size];
        for (long i = 0; i < count; i++) {
            for (int j = 0; j < size; j++) {
                element[j] = raw.get(base + (int) (i * size) + j);
            }
            int end = 0;
            while (end < size && element[end] != 0) {
                end++;
            }
            if (spacePadded) {
                while (end > 0 && element[end - 1] == ' ') {
                    end--;
                }
            }
            out.add(new String(element, 0, end, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void collect(Object v, List<String> out) {
        if (v == null) {
            return;
        }
        if (v.getClass().isArray()) {
            if (v instanceof byte[]) {
                out.add(new String((byte[]) v, StandardCharsets.UTF_8));
                return;
            }
            for (int i = 0; i < Array.getLength(v); i++) {
                collect(Array.get(v, i), out);
            }
        } else {
            out.add(v.toString());
        }
    }
}
