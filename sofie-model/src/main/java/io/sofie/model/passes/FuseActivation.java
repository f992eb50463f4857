package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.operators.ActivationFusable;
import io.sofie.model.operators.Unary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds an elementwise activation into the operator that feeds it (Gemm, Conv, ConvTranspose), when nothing else
 * reads that operator's output: the activation then runs on values still in cache, in the same method.
 */
public final class FuseActivation implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        Readers readers = new Readers(model);
        List<ROperator> ops = model.operators();
        List<ROperator> result = new ArrayList<>();
        Map<String, ROperator> pending = new HashMap<>();
        for (ROperator op : ops) {
            if (op instanceof Unary && !((Unary) op).activation().isIdentity()) {
                ROperator producer = pending.remove(op.inputs().get(0));
                if (producer != null) {
                    ROperator fused = ((ActivationFusable) producer).withActivation(((Unary) op).activation(),
                            op.outputs().get(0));
                    result.set(result.indexOf(producer), fused);
                    continue;
                }
            }
            if (op instanceof ActivationFusable && ((ActivationFusable) op).activation().isIdentity()) {
                String out = op.outputs().get(0);
                if (readers.soleReader(out) != null) {
                    pending.put(out, op);
                }
            }
            result.add(op);
        }
        return ModelPass.rebuild(model, result);
    }
}
