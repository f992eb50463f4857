package io.sofie.keras.reader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names Keras 3 gives saved objects inside {@code model.weights.h5}: a layer in a list is stored under the
 * snake_case of its Python class name, with {@code _1}, {@code _2}, ... for later objects of the same class in the
 * same list (keras/src/utils/naming.py {@code to_snake_case}, saving_lib {@code _save_container_state}).
 */
final class KerasNaming {
    private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD_START = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");

    private KerasNaming() {
    }

    /** {@code Conv2D -> conv2d}, {@code PReLU -> p_re_lu}, {@code BatchNormalization -> batch_normalization}. */
    static String snakeCase(String className) {
        String s = NON_WORD.matcher(className).replaceAll("");
        s = WORD_START.matcher(s).replaceAll("$1_$2");
        return LOWER_UPPER.matcher(s).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The group names of a list of objects of the given classes, in list order. */
    static List<String> containerNames(List<String> classNames) {
        Map<String, Integer> used = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (String cls : classNames) {
            String base = snakeCase(cls);
            Integer n = used.get(base);
            if (n == null) {
                used.put(base, 0);
                names.add(base);
            } else {
                used.put(base, n + 1);
                names.add(base + "_" + (n + 1));
            }
        }
        return names;
    }
}
