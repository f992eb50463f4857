import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Copies a fixture's reference.h5 (Keras's own inputs and outputs) into the plain-text reference.txt the
 * integration-test projects read, so that they need nothing but the JDK and JUnit. Values are written with
 * Float.toString, which reads back to the identical float.
 *
 * <pre>java -cp jhdf-0.13.0.jar:slf4j-api.jar:commons-lang3.jar src/tools/ReferenceToText.java reference.h5 out.txt</pre>
 */
public class ReferenceToText {
    public static void main(String[] args) throws Exception {
        try (HdfFile f = new HdfFile(Path.of(args[0]));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
            out.printf(Locale.ROOT, "# Keras reference for %s: Keras %s, backend %s; copied from the fixture's reference.h5%n",
                    attr(f, "model_name"), attr(f, "keras_version"), attr(f, "backend"));
            Attribute atol = f.getAttribute("atol");
            out.println("atol " + (atol == null || atol.isEmpty() ? "1e-5" : atol.getData().toString()));
            String[] inputs = names(f, "input_names");
            String[] outputs = names(f, "output_names");
            for (int i = 0; i < inputs.length; i++) {
                block(out, "input", inputs[i], f.getDatasetByPath("input_" + i));
            }
            for (int i = 0; i < outputs.length; i++) {
                block(out, "output", outputs[i], f.getDatasetByPath("output_" + i));
            }
        }
    }

    private static String attr(HdfFile f, String name) {
        Attribute a = f.getAttribute(name);
        return a == null || a.isEmpty() ? "?" : a.getData().toString();
    }

    /** input_names / output_names are JSON lists of plain names: ["a", "b"]. */
    private static String[] names(HdfFile f, String attribute) {
        String json = attr(f, attribute).trim();
        return Arrays.stream(json.substring(1, json.length() - 1).split(","))
                .map(s -> s.trim().replace("\"", "")).toArray(String[]::new);
    }

    private static void block(PrintWriter out, String kind, String name, Dataset ds) {
        int[] dims = ds.getDimensions();
        StringBuilder header = new StringBuilder(kind).append(' ').append(name);
        for (int d : dims) {
            header.append(' ').append(d);
        }
        out.println(header);
        float[] flat = (float[]) ds.getDataFlat();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < flat.length; i++) {
            values.append(i == 0 ? "" : " ").append(Float.toString(flat[i]));
        }
        out.println(values);
    }
}
