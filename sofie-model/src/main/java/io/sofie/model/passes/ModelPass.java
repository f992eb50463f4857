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
        return rebuild(model, model.toBuilder(), operators);
    }

    /**
     * The model with its operators replaced, built on {@code b}: a builder from {@link RModel#toBuilder} to which the
     * pass added the weights its new operators read.
     */
    static RModel rebuild(RModel model, RModel.Builder b, List<ROperator> operators) {
        for (ROperator op : operators) {
            b.addOperator(op);
        }
        for (TensorSpec out : model.outputs()) {
            b.addOutput(out.name());
        }
        return b.build();
    }
}
