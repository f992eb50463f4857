package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.GlobalPool;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Unary;
import io.sofie.model.operators.WindowPool;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs chains of channels-last convolutions channels-first between their ends. The planar convolution kernel works on
 * channel planes: in channels-last layout it transposes its input into planes and its output back, element by element;
 * in channels-first layout both are contiguous copies. So where one planar convolution feeds the next (through
 * pools and activations, each the only reader of its input), the chain's first convolution reads channels-last and
 * writes channels-first, the ones after it read and write channels-first, and the chain ends either in a global pool
 * (whose output has no spatial axes, so no layout) or in a convolution that writes channels-last again. The model's
 * inputs, outputs and every tensor outside a chain keep Keras's layout.
 *
 * <p>A chain is changed only when it removes transposes: it must hold two planar convolutions, or one ending in a
 * global pool.
 */
public final class KeepConvolutionChainsInPlanes implements ModelPass {
    @Override
    public RModel apply(RModel model) {
        List<ROperator> ops = new ArrayList<>(model.operators());
        Readers readers = new Readers(model);
        Map<ROperator, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            position.put(ops.get(i), i);
        }
        boolean changed = false;
        for (int i = 0; i < ops.size(); i++) {
            if (!startsChain(ops.get(i), model)) {
                continue;
            }
            List<Integer> chain = new ArrayList<>();
            chain.add(i);
            int convolutions = 1;
            int lastConvolution = 0;
            boolean endsInGlobalPool = false;
            String tensor = ops.get(i).outputs().get(0);
            for (ROperator op = readers.soleReader(tensor); op != null; op = readers.soleReader(tensor)) {
                int next = position.get(op);
                if (op instanceof Conv && isPlanarChannelsLast((Conv) op, model)) {
                    convolutions++;
                    lastConvolution = chain.size();
                } else if (op instanceof GlobalPool && channelsLast(op) && !((GlobalPool) op).keepDims()) {
                    chain.add(next);
                    endsInGlobalPool = true;
                    break;
                } else if (!(op instanceof WindowPool && channelsLast(op)) && !(op instanceof Unary)) {
                    break;
                }
                chain.add(next);
                tensor = op.outputs().get(0);
            }
            if (!endsInGlobalPool) {
                chain = chain.subList(0, lastConvolution + 1);
            }
            if (convolutions < 2 && !endsInGlobalPool || chain.size() < 2) {
                continue;
            }
            for (int c = 0; c < chain.size(); c++) {
                int at = chain.get(c);
                boolean last = c == chain.size() - 1;
                ops.set(at, toPlanes(ops.get(at), c == 0, last && !endsInGlobalPool));
            }
            i = chain.get(chain.size() - 1);
            changed = true;
        }
        return changed ? ModelPass.rebuild(model, ops) : model;
    }

    private static boolean startsChain(ROperator op, RModel model) {
        return op instanceof Conv && isPlanarChannelsLast((Conv) op, model);
    }

    private static boolean isPlanarChannelsLast(Conv conv, RModel model) {
        return conv.layout() == Layout.CHANNELS_LAST && conv.outputLayout() == Layout.CHANNELS_LAST
                && conv.runsPlanar(model.shape(conv.inputs().get(0)), model.shape(conv.outputs().get(0)));
    }

    private static boolean channelsLast(ROperator op) {
        Layout layout = op instanceof WindowPool ? ((WindowPool) op).layout() : ((GlobalPool) op).layout();
        return layout == Layout.CHANNELS_LAST;
    }

    /** The chain member in planes: the first reads channels-last, the last (unless a global pool) writes it. */
    private static ROperator toPlanes(ROperator op, boolean first, boolean last) {
        if (op instanceof Conv) {
            return ((Conv) op).withLayouts(first ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST,
                    last ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST);
        }
        if (op instanceof WindowPool) {
            return ((WindowPool) op).withLayout(Layout.CHANNELS_FIRST);
        }
        if (op instanceof GlobalPool) {
            return ((GlobalPool) op).withLayout(Layout.CHANNELS_FIRST);
        }
        return op;
    }
}
