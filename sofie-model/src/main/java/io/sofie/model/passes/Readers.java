package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.TensorSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who reads each tensor of a model: the question every fusing pass asks before it folds a producer into the
 * operator after it, which is only right when that operator is the one place the tensor goes.
 */
final class Readers {
    private final Map<String, Integer> count = new HashMap<>();
    private final Map<String, ROperator> last = new HashMap<>();
    private final Set<String> outputs = new HashSet<>();

    Readers(RModel model) {
        for (ROperator op : model.operators()) {
            for (String in : op.inputs()) {
                count.merge(in, 1, Integer::sum);
                last.put(in, op);
            }
        }
        for (TensorSpec out : model.outputs()) {
            outputs.add(out.name());
        }
    }

    /** The only operator reading {@code tensor}, or null when none or several do or it is a model output. */
    ROperator soleReader(String tensor) {
        return count.getOrDefault(tensor, 0) == 1 && !outputs.contains(tensor) ? last.get(tensor) : null;
    }
}
