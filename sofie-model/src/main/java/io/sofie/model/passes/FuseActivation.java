package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.TensorSpec;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Unary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds an elementwise activation into the Gemm that feeds it, when nothing else reads the Gemm's output: the
 * activation then runs on values still in cache, in the same method.
 */
public final class FuseActivation implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        Map<String, Integer> readers = new HashMap<>();
        for (ROperator op : model.operators()) {
            for (String in : op.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        Set<String> outputs = new HashSet<>();
        for (TensorSpec out : model.outputs()) {
            outputs.add(out.name());
        }
        List<ROperator> ops = model.operators();
        List<ROperator> result = new ArrayList<>();
        Map<String, Gemm> pending = new HashMap<>();
        for (ROperator op : ops) {
            if (op instanceof Unary && !((Unary) op).activation().isIdentity()) {
                Gemm producer = pending.remove(op.inputs().get(0));
                if (producer != null) {
                    Gemm fused = producer.withActivation(((Unary) op).activation()).withOutput(op.outputs().get(0));
                    result.set(result.indexOf(producer), fused);
                    continue;
                }
            }
            if (op instanceof Gemm && ((Gemm) op).activation().isIdentity()) {
                String out = op.outputs().get(0);
                if (readers.getOrDefault(out, 0) == 1 && !outputs.contains(out)) {
                    pending.put(out, (Gemm) op);
                }
            }
            result.add(op);
        }
        return ModelPass.rebuild(model, result);
    }
}
