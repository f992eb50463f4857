package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.operators.Activation;
import io.sofie.model.operators.ActivationFusable;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Reshape;
import io.sofie.model.operators.Unary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets each wide Gemm whose input comes from a relu (fused into the operator before it, or on its own, possibly through
 * a Reshape such as Flatten) skip the zero inputs of the rows it computes alone: a relu leaves about half its outputs
 * zero, and at batch 1 a Dense layer's time is the time it takes to read W. See {@link Gemm#withZeroSkipping}.
 */
public final class SkipZeroInputs implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        Map<String, ROperator> producers = new HashMap<>();
        List<ROperator> result = new ArrayList<>();
        boolean changed = false;
        for (ROperator op : model.operators()) {
            if (op instanceof Gemm && !((Gemm) op).skipsZeros()
                    && Gemm.skipsZerosAt(model.shape(op.outputs().get(0)).dim(-1))
                    && zeroesLowInputs(producers, op.inputs().get(0))) {
                op = ((Gemm) op).withZeroSkipping();
                changed = true;
            }
            for (String out : op.outputs()) {
                producers.put(out, op);
            }
            result.add(op);
        }
        return changed ? ModelPass.rebuild(model, result) : model;
    }

    /** Whether {@code tensor} is a relu's output, directly or through reshapes. */
    private static boolean zeroesLowInputs(Map<String, ROperator> producers, String tensor) {
        ROperator producer = producers.get(tensor);
        while (producer instanceof Reshape) {
            producer = producers.get(producer.inputs().get(0));
        }
        if (producer instanceof Conv && ((Conv) producer).pooling() != Conv.Pooling.NONE) {
            // A global pool folded into the convolution: its outputs are pooled relu outputs, rarely zero.
            return false;
        }
        Activation activation = producer instanceof ActivationFusable ? ((ActivationFusable) producer).activation()
                : producer instanceof Unary ? ((Unary) producer).activation() : null;
        return activation != null && activation.zeroesLowInputs();
    }
}
