package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who reads each tensor of a model: the question every fusing pass asks before it folds a producer into the
 * operator after it, which is only right when that operator is the one place the tensor goes.
 */
final class Readers {
    /** What replaces a producer and the sole reader of its output, or null to keep both. */
    interface PairRewrite {
        List<ROperator> replace(ROperator producer, ROperator reader);
    }

    private final List<ROperator> operators;
    private final Map<String, Integer> count = new HashMap<>();
    private final Map<String, ROperator> last = new HashMap<>();
    private final Set<String> outputs = new HashSet<>();

    Readers(RModel model) {
        this.operators = model.operators();
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

    /**
     * The model's operators with each producer and the sole reader of its output replaced, at the producer's place,
     * wherever {@code rewrite} gives a replacement; null when it gave none.
     */
    List<ROperator> replacePairs(PairRewrite rewrite) {
        List<ROperator> result = new ArrayList<>();
        Set<ROperator> replaced = new HashSet<>();
        for (ROperator op : operators) {
            if (replaced.contains(op)) {
                continue;
            }
            ROperator reader = soleReader(op.outputs().get(0));
            List<ROperator> replacement = reader == null ? null : rewrite.replace(op, reader);
            if (replacement == null) {
                result.add(op);
            } else {
                result.addAll(replacement);
                replaced.add(reader);
            }
        }
        return replaced.isEmpty() ? null : result;
    }
}
