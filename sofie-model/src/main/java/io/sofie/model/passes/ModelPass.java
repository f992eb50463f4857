package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.TensorSpec;
import java.util.List;

/** A rewrite of an RModel into an equivalent one. */
public interface ModelPass {
    RModel apply(RModel model);

    /** The model with its operators replaced (shapes are inferred again). */
    static RModel rebuild(RModel model, List<ROperator> operators) {
        RModel.Builder b = model.toBuilder();
        for (ROperator op : operators) {
            b.addOperator(op);
        }
        for (TensorSpec out : model.outputs()) {
            b.addOutput(out.name());
        }
        return b.build();
    }
}
