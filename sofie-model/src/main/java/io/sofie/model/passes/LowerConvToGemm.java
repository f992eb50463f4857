package io.sofie.model.passes;

import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.Weight;
import io.sofie.model.operators.Conv;
import io.sofie.model.operators.Gemm;
import io.sofie.model.operators.Im2Col;
import io.sofie.model.operators.Layout;
import io.sofie.model.operators.Reshape;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs channels-last, ungrouped convolutions that the planar kernel does not take (more than three taps per line,
 * outputs too small to fill vectors: see {@link Conv#runsPlanar}) on the Gemm kernel:
 * {@code Im2Col -> Gemm -> Reshape}. The Keras kernel
 * {@code (k..., C_in, C_out)} is already the {@code (taps * C_in, C_out)} matrix Gemm wants, bias and a fused
 * activation carry over, and a 1x1 stride-1 unpadded convolution needs no unfolding at all (its input rows are the
 * patches). Gemm blocks several rows per load of W, which the direct convolution (one output position at a time) does
 * not. Convolutions whose unfolded input would exceed {@link #MAX_UNFOLDED_FLOATS} per sample stay direct.
 */
public final class LowerConvToGemm implements ModelPass {
    /** 16 MB of floats per sample for the unfolded input. */
    static final int MAX_UNFOLDED_FLOATS = 4 << 20;

    @Override
    public RModel apply(RModel model) {
        RModel.Builder b = model.toBuilder();
        List<ROperator> ops = new ArrayList<>();
        boolean changed = false;
        for (ROperator op : model.operators()) {
            if (op instanceof Conv && lowerable((Conv) op, model)) {
                ops.addAll(lower((Conv) op, model, b));
                changed = true;
            } else {
                ops.add(op);
            }
        }
        return changed ? ModelPass.rebuild(model, b, ops) : model;
    }

    private static boolean lowerable(Conv conv, RModel model) {
        Shape y = model.shape(conv.outputs().get(0));
        if (conv.layout() != Layout.CHANNELS_LAST || conv.groups() != 1
                || conv.runsPlanar(model.shape(conv.inputs().get(0)), y)) {
            return false;
        }
        Shape w = model.weight(conv.kernel()).shape();
        long rowLength = (long) w.size() / w.dim(-1);
        return (long) (y.size() / y.dim(-1)) * rowLength <= MAX_UNFOLDED_FLOATS;
    }

    private static List<ROperator> lower(Conv conv, RModel model, RModel.Builder b) {
        String x = conv.inputs().get(0);
        String y = conv.outputs().get(0);
        Shape outShape = model.shape(y);
        Weight kernel = model.weight(conv.kernel());
        int cout = kernel.shape().dim(-1);
        int rowLength = kernel.shape().size() / cout;
        int positions = outShape.size() / cout;
        String matrix = unique(b, conv.kernel() + "/matrix");
        b.addWeight(matrix, Shape.of(rowLength, cout), kernel.data());
        List<ROperator> ops = new ArrayList<>();
        String rows = conv.name() + "/patches";
        if (isPointwise(conv)) {
            ops.add(new Reshape(conv.name(), x, rows, Shape.of(positions, rowLength)));
        } else {
            ops.add(new Im2Col(conv.name(), x, rows, conv.window()));
        }
        String product = conv.name() + "/product";
        ops.add(new Gemm(conv.name(), rows, product, matrix, conv.bias(), conv.activation()));
        ops.add(new Reshape(conv.name(), product, y, outShape));
        return ops;
    }

    private static boolean isPointwise(Conv conv) {
        for (int d = 0; d < conv.window().rank(); d++) {
            if (conv.window().kernel(d) != 1 || conv.window().stride(d) != 1) {
                return false;
            }
        }
        // A 1x1 window needs no padding in either padding mode.
        return conv.window().padding() != io.sofie.model.operators.Window.Padding.EXPLICIT;
    }

    private static String unique(RModel.Builder b, String base) {
        String name = base;
        for (int i = 2; b.hasWeight(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
