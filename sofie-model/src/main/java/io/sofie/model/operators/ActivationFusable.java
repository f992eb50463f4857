package io.sofie.model.operators;

import io.sofie.model.ROperator;

/**
 * An operator that can apply an elementwise activation to its own output before storing it (Gemm, Conv,
 * ConvTranspose), so that a following activation costs no extra pass over memory.
 */
public interface ActivationFusable {
    /** The activation applied now; identity when none. */
    Activation activation();

    /** This operator with {@code fused} applied to its result, written to {@code output}. */
    ROperator withActivation(Activation fused, String output);
}
