package io.sofie.model.emit;

import java.util.Set;

/** Turns file, layer and tensor names into Java identifiers. */
public final class JavaNames {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var",
            "record", "yield", "sealed", "permits", "non-sealed", "_");

    private JavaNames() {
    }

    /** {@code jet_tagger.h5} -> {@code JetTagger}; {@code my-model.v2.keras} -> {@code MyModelV2}. */
    public static String classNameForFile(String fileName) {
        String base = fileName;
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        String camel = camel(base, true);
        return camel.isEmpty() ? "Model" : camel;
    }

    /** {@code dense_1} -> {@code dense1}; never a keyword, never starting with a digit. */
    public static String methodName(String raw) {
        String camel = camel(raw, false);
        if (camel.isEmpty()) {
            return "op";
        }
        return KEYWORDS.contains(camel) ? camel + "Op" : camel;
    }

    /** {@code dense_1/kernel:0} -> {@code DENSE_1_KERNEL_0}. */
    public static String constantName(String raw) {
        StringBuilder sb = new StringBuilder();
        boolean underscore = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                sb.append(Character.toUpperCase(c));
                underscore = false;
            } else if (!underscore && sb.length() > 0) {
                sb.append('_');
                underscore = true;
            }
        }
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
            sb.setLength(sb.length() - 1);
        }
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, "W_");
        }
        return sb.toString();
    }

    /** True for a valid Java package name such as {@code com.example.models}. */
    public static boolean isPackageName(String name) {
        if (name.isEmpty()) {
            return true;
        }
        for (String part : name.split("\\.", -1)) {
            if (!isIdentifier(part)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIdentifier(String s) {
        if (s.isEmpty() || KEYWORDS.contains(s) || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Splits on anything that is not an ASCII letter or digit and joins the words in camel case. */
    private static String camel(String raw, boolean upperFirst) {
        StringBuilder sb = new StringBuilder();
        boolean upperNext = upperFirst;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                if (sb.length() == 0 && Character.isDigit(c)) {
                    sb.append(upperFirst ? "M" : "m");
                }
                sb.append(upperNext ? Character.toUpperCase(c) : sb.length() == 0 ? Character.toLowerCase(c) : c);
                upperNext = false;
            } else {
                upperNext = sb.length() > 0 || upperFirst;
            }
        }
        return sb.toString();
    }
}
