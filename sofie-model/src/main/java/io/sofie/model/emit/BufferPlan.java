package io.sofie.model.emit;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns every activation tensor a storage: a model input array, or one of a few session buffers reused across
 * operators whose tensors are never live at once. Tensors produced by aliasing operators (Reshape, Flatten, Identity)
 * share their input's storage. Buffer sizes are per sample; the session multiplies by its batch capacity.
 */
final class BufferPlan {
    /** Storage of a tensor: input {@code index} when {@code input}, else buffer {@code index}. */
    static final class Storage {
        final boolean input;
        final int index;

        Storage(boolean input, int index) {
            this.input = input;
            this.index = index;
        }
    }

    private final Map<String, Storage> storage = new HashMap<>();
    private final List<Integer> bufferSizes = new ArrayList<>();

    BufferPlan(RModel model) {
        List<ROperator> ops = model.operators();
        // Union tensors that share storage, rooted at the tensor that owns it.
        Map<String, String> root = new HashMap<>();
        for (TensorSpec in : model.inputs()) {
            root.put(in.name(), in.name());
        }
        for (ROperator op : ops) {
            for (String out : op.outputs()) {
                root.put(out, op.aliasesInput() ? root.get(op.inputs().get(0)) : out);
            }
        }
        // Last use of each root: the last operator reading any of its tensors; model outputs live to the end.
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String in : ops.get(i).inputs()) {
                lastUse.put(root.get(in), i);
            }
        }
        for (TensorSpec out : model.outputs()) {
            lastUse.put(root.get(out.name()), Integer.MAX_VALUE);
        }
        for (int i = 0; i < model.inputs().size(); i++) {
            storage.put(model.inputs().get(i).name(), new Storage(true, i));
        }
        // Greedy assignment in definition order; a buffer frees after its tensor's last reader has run.
        List<Integer> freeAfter = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            ROperator op = ops.get(i);
            for (String out : op.outputs()) {
                String r = root.get(out);
                if (!r.equals(out)) {
                    storage.put(out, storage.get(r));
                    continue;
                }
                int size = model.shape(out).size();
                int last = lastUse.getOrDefault(out, i);
                int chosen = -1;
                for (int b = 0; b < bufferSizes.size(); b++) {
                    if (freeAfter.get(b) < i && (chosen < 0 || fitsBetter(size, bufferSizes.get(b), bufferSizes.get(chosen)))) {
                        chosen = b;
                    }
                }
                if (chosen < 0) {
                    chosen = bufferSizes.size();
                    bufferSizes.add(size);
                    freeAfter.add(last);
                } else {
                    bufferSizes.set(chosen, Math.max(size, bufferSizes.get(chosen)));
                    freeAfter.set(chosen, last);
                }
                storage.put(out, new Storage(false, chosen));
            }
        }
    }

    /** Prefers a buffer already large enough, the smallest such; else the largest. */
    private static boolean fitsBetter(int need, int candidate, int current) {
        boolean candFits = candidate >= need;
        boolean curFits = current >= need;
        if (candFits != curFits) {
            return candFits;
        }
        return candFits ? candidate < current : candidate > current;
    }

    Storage storage(String tensor) {
        return storage.get(tensor);
    }

    /** Per-sample sizes of the session buffers. */
    List<Integer> bufferSizes() {
        return bufferSizes;
    }
}
