package io.sofie.keras.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutations of a model config's JSON tree: numbers replaced by edge values (zero, negative, huge), values replaced by
 * another type or by another string the config uses (a layer or class name), fields and list entries removed or
 * duplicated. Each mutates a deep copy and appends what it did to {@code log}.
 */
final class ConfigMutations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final double[] NUMBERS = {0, 1, 2, 3, -1, -2, 7, 64, 65536, 1e6, 1e9, 2147483647, -2147483648,
            4294967296.0, 1e30, 0.5, -0.5};
    private static final String[] EXTRA_STRINGS = {"Lambda", "MyLayer", "Functional", "Sequential", "InputLayer",
            "relu", "hard_sigmoid", "softmax", "same", "valid", "causal", "channels_first", "float16", "", "x"};

    /** A place in the tree: field {@code key} of an object, or entry {@code index} of an array. */
    private static final class Slot {
        final JsonNode parent;
        final String key;
        final int index;

        Slot(JsonNode parent, String key, int index) {
            this.parent = parent;
            this.key = key;
            this.index = index;
        }

        JsonNode get() {
            return key != null ? parent.get(key) : parent.get(index);
        }

        void set(JsonNode v) {
            if (key != null) {
                ((ObjectNode) parent).set(key, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (key != null) {
                ((ObjectNode) parent).remove(key);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private ConfigMutations() {
    }

    static JsonNode mutate(JsonNode original, int count, Random rnd, StringBuilder log) {
        JsonNode root = original.deepCopy();
        for (int i = 0; i < count; i++) {
            List<Slot> slots = new ArrayList<>();
            List<String> strings = new ArrayList<>(List.of(EXTRA_STRINGS));
            collect(root, slots, strings);
            if (slots.isEmpty()) {
                break;
            }
            mutateOne(pick(slots, rnd), strings, rnd, log);
        }
        return root;
    }

    /** Prefers numbers and strings, where a config says what a layer is and how big. */
    private static Slot pick(List<Slot> slots, Random rnd) {
        for (int tries = 0; tries < 4; tries++) {
            Slot s = slots.get(rnd.nextInt(slots.size()));
            if (s.get().isValueNode() || tries == 3) {
                return s;
            }
        }
        throw new AssertionError();
    }

    private static void mutateOne(Slot s, List<String> strings, Random rnd, StringBuilder log) {
        JsonNode v = s.get();
        String where = s.key != null ? s.key : "[" + s.index + "]";
        int op = rnd.nextInt(10);
        if (v.isNumber() && op < 6 || op == 0) {
            double d = NUMBERS[rnd.nextInt(NUMBERS.length)];
            s.set(d == Math.rint(d) && Math.abs(d) < 1e18 ? F.numberNode((long) d) : F.numberNode(d));
            log.append(" json:").append(where).append('=').append(s.get());
        } else if (v.isTextual() && op < 6 || op == 1) {
            s.set(F.textNode(strings.get(rnd.nextInt(strings.size()))));
            log.append(" json:").append(where).append('=').append(s.get());
        } else if (op < 7) {
            JsonNode[] others = {F.nullNode(), F.textNode(""), F.booleanNode(true), F.arrayNode(), F.objectNode(),
                    F.arrayNode().add(v.deepCopy())};
            s.set(others[rnd.nextInt(others.length)]);
            log.append(" json:").append(where).append("->").append(s.get().getNodeType());
        } else if (op < 9) {
            s.remove();
            log.append(" json:-").append(where);
        } else if (s.parent.isArray()) {
            ((ArrayNode) s.parent).insert(s.index, v.deepCopy());
            log.append(" json:dup").append(where);
        } else {
            s.set(F.arrayNode().add(v.deepCopy()).add(v.deepCopy()));
            log.append(" json:pair").append(where);
        }
    }

    private static void collect(JsonNode node, List<Slot> slots, List<String> strings) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                slots.add(new Slot(node, k, -1));
                collect(node.get(k), slots, strings);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots, strings);
            }
        } else if (node.isTextual() && strings.size() < 400) {
            strings.add(node.asText());
        }
    }
}
