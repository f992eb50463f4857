package io.sofie.model.operators;

import com.palantir.javapoet.CodeBlock;
import io.sofie.model.ModelException;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.emit.OperatorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ONNX recurrent operators (RNN, LSTM, GRU) share: the walk over time, Keras's masking, directions, initial,
 * returned and persistent state. A subclass supplies the cell: its gate count, its state count and the code of one
 * step.
 *
 * <p>Layout is Keras's: the kernel is {@code (features, gates * units)}, the recurrent kernel
 * {@code (units, gates * units)}, the bias {@code (gates * units)}, gates in Keras order. Input 0 is {@code (T, F)};
 * then, when {@link Config#masked}, a {@code (T)} mask (1 keeps a step, 0 masks it); then, when
 * {@link Config#initialState}, one {@code (units)} tensor per state and direction. Outputs: the sequence
 * {@code (T, U)} or last output {@code (U)} (two of them for a bidirectional op without merge), then with
 * {@link Config#returnState} the final states per direction.
 *
 * <p>Code, for blocks of up to eight samples: the input projection of the whole sequence ({@code x W + b}, rows of
 * all steps of the block at once), then per step one fused product of the states with the recurrent kernel over all
 * gates, then the cell update per sample. Both products run {@link ProductKernel}'s loops (see {@link #emitProduct}).
 * All working arrays are session scratch; nothing is allocated.
 */
public abstract class Recurrent extends ROperator {
    /** How a bidirectional operator combines its two directions (Keras {@code merge_mode}). */
    public enum Merge { CONCAT, SUM, MUL, AVE, NONE }

    /**
     * Attributes.
     *
     * @param goBackwards Keras {@code go_backwards}: process the sequence last step first; the returned sequence is in
     *     processing order. Ignored when bidirectional (direction 1 runs backwards, its sequence re-aligned to time).
     * @param merge null for one direction; otherwise the op runs forward and backward and merges
     * @param stateful keep the final states in the session as the next call's initial states
     * @param zeroOutputForMask a masked step outputs zeros instead of repeating the previous output
     */
    public record Config(int units, Activation activation, Activation recurrentActivation, boolean returnSequences,
            boolean returnState, boolean goBackwards, Merge merge, boolean stateful, boolean zeroOutputForMask,
            boolean masked, boolean initialState) {
        public int directions() {
            return merge == null ? 1 : 2;
        }
    }

    /**
     * One direction's weights (names of model weights).
     *
     * @param bias null for none
     * @param recurrentBias GRU with {@code reset_after} only: the bias added to the recurrent product; else null
     */
    public record Weights(String kernel, String recurrentKernel, String bias, String recurrentBias) {
    }

    private final Config config;
    private final List<Weights> directions;

    protected Recurrent(String name, List<String> inputs, List<String> outputs, Config config,
            List<Weights> directions) {
        super(name, inputs, outputs);
        this.config = config;
        this.directions = List.copyOf(directions);
        if (directions.size() != config.directions()) {
            throw new ModelException(getClass().getSimpleName() + " " + name + ": " + directions.size()
                    + " weight sets for " + config.directions() + " direction(s)");
        }
    }

    public Config config() {
        return config;
    }

    public List<Weights> directions() {
        return directions;
    }

    /** Gates per unit: 1 for RNN, 4 for LSTM, 3 for GRU. */
    protected abstract int gates();

    /** States per direction: 2 for LSTM (h, c), else 1. */
    protected abstract int states();

    /** Columns of the recurrent kernel the fused per-step product covers (the rest is the cell's business). */
    protected int fusedColumns() {
        return gates() * config.units();
    }

    /**
     * Writes one step of the cell for one sample of direction {@code direction}. In scope: {@code p} (the input
     * projection) with {@code po} this sample's and step's offset into it (gates concatenated); {@code z} (state times
     * recurrent kernel, {@link #fusedColumns} of them, recurrent bias added) from offset {@code zo}; {@code h} and, for
     * two states, {@code c}, updated in place, and {@code tmp} (units floats of scratch), all from offset {@code ho}.
     */
    protected abstract void emitStep(CodeBlock.Builder b, OperatorCode code, int direction);

    @Override
    public List<String> weights() {
        List<String> w = new ArrayList<>();
        for (Weights d : directions) {
            w.add(d.kernel());
            w.add(d.recurrentKernel());
            if (d.bias() != null) {
                w.add(d.bias());
            }
            if (d.recurrentBias() != null) {
                w.add(d.recurrentBias());
            }
        }
        return w;
    }

    private int expectedInputs() {
        return 1 + (config.masked() ? 1 : 0) + (config.initialState() ? config.directions() * states() : 0);
    }

    private int sequenceOutputs() {
        return config.merge() == Merge.NONE ? 2 : 1;
    }

    @Override
    public List<Shape> inferShapes(List<Shape> in, WeightLookup weights) {
        String what = opType() + " " + name();
        if (in.size() != expectedInputs()) {
            throw new ModelException(what + " takes " + expectedInputs() + " inputs, got " + in.size());
        }
        int outs = sequenceOutputs() + (config.returnState() ? config.directions() * states() : 0);
        if (outputs().size() != outs) {
            throw new ModelException(what + " has " + outs + " outputs, got " + outputs().size());
        }
        Shape x = in.get(0);
        if (x.rank() != 2) {
            throw new ModelException(what + " needs input (timesteps, features), got " + x);
        }
        int u = config.units();
        int gu = gates() * u;
        for (Weights d : directions) {
            expect(weights, d.kernel(), Shape.of(x.dim(1), gu));
            expect(weights, d.recurrentKernel(), Shape.of(u, gu));
            if (d.bias() != null) {
                expect(weights, d.bias(), Shape.of(gu));
            }
            if (d.recurrentBias() != null) {
                expect(weights, d.recurrentBias(), Shape.of(fusedColumns()));
            }
        }
        int next = 1;
        if (config.masked()) {
            if (!in.get(next).equals(Shape.of(x.dim(0)))) {
                throw new ModelException(what + ": mask " + in.get(next) + " does not match input " + x);
            }
            next++;
        }
        if (config.initialState()) {
            for (; next < in.size(); next++) {
                if (!in.get(next).equals(Shape.of(u))) {
                    throw new ModelException(what + ": initial state " + in.get(next) + " is not (" + u + ")");
                }
            }
        }
        int width = config.merge() == Merge.CONCAT ? 2 * u : u;
        Shape y = config.returnSequences() ? Shape.of(x.dim(0), width) : Shape.of(width);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < sequenceOutputs(); i++) {
            shapes.add(y);
        }
        while (shapes.size() < outs) {
            shapes.add(Shape.of(u));
        }
        return shapes;
    }

    private void expect(WeightLookup weights, String name, Shape shape) {
        Shape actual = weights.weight(name).shape();
        if (!actual.equals(shape)) {
            throw new ModelException(opType() + " " + name() + ": weight " + name + " has shape " + actual
                    + ", expected " + shape);
        }
    }

    /** Samples run together, so that each row of the kernels loaded for one is reused for the others. */
    private static final int MAX_BLOCK = 8;
    /** Cap on the projection scratch (floats) a block may take: long sequences run fewer samples at once. */
    private static final int PROJECTION_FLOATS = 1 << 20;
    /** The scratch array (after p, z, h, c, prev, tmp, seq) holding a block of product rows, see emitProduct. */
    private static final int ACCUMULATORS = 7;

    @Override
    public void emit(OperatorCode code) {
        int steps = code.inShape(0).dim(0);
        int u = config.units();
        int gu = gates() * u;
        int dirs = config.directions();
        int outSteps = config.returnSequences() ? steps : 1;
        int block = Math.max(1, Math.min(MAX_BLOCK, PROJECTION_FLOATS / Math.max(1, steps * gu)));
        CodeBlock.Builder b = code.body();
        String p = code.scratch(0, block * steps * gu);
        String z = code.scratch(1, block * gu);
        String h = code.scratch(2, block * u);
        String c = code.scratch(3, block * u);
        String prev = code.scratch(4, block * u);
        String tmp = code.scratch(5, block * u);
        // Each sample's outputs per direction, in the order they are returned, before merging.
        String seq = code.scratch(6, block * dirs * outSteps * u);
        b.addStatement("final float[] p = $L, z = $L, h = $L, c = $L, prev = $L, tmp = $L, seq = $L",
                p, z, h, c, prev, tmp, seq);
        b.beginControlFlow("for (int b0 = 0; b0 < $L; b0 += $L)", code.batch(), block);
        b.addStatement("final int nb = Math.min($L, $L - b0)", block, code.batch());
        for (int d = 0; d < dirs; d++) {
            emitDirection(b, code, d, steps, outSteps);
        }
        b.beginControlFlow("for (int i = 0; i < nb; i++)");
        b.addStatement("final int b = b0 + i");
        emitMerge(b, code, outSteps);
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * One direction over the samples {@code b0 .. b0 + nb - 1}. Sample i's projection rows start at
     * {@code i * steps * gu}, its z at {@code i * gu}, its h, c, prev, tmp at {@code i * u}.
     */
    private void emitDirection(CodeBlock.Builder b, OperatorCode code, int d, int steps, int outSteps) {
        Weights w = directions.get(d);
        int features = code.inShape(0).dim(1);
        int u = config.units();
        int gu = gates() * u;
        int dirs = config.directions();
        boolean backwards = config.merge() == null ? config.goBackwards() : d == 1;
        // Keras returns a go_backwards sequence in processing order; Bidirectional flips it back to time order.
        boolean timeAligned = config.merge() != null;
        String x = code.in(0);
        b.add("// direction $L: $L\n", d, backwards ? "last step first" : "first step first");
        // Input projection of every step of the block's samples at once: rows of x times W, plus the bias.
        b.beginControlFlow("for (int row = 0, rows = nb * $L; row < rows; row++)", steps);
        if (w.bias() != null) {
            b.addStatement("System.arraycopy($L, 0, p, row * $L, $L)", code.weight(w.bias()), gu, gu);
        } else {
            b.addStatement("$T.fill(p, row * $L, (row + 1) * $L, 0f)", java.util.Arrays.class, gu, gu);
        }
        b.endControlFlow();
        ProductKernel input = new ProductKernel(code, "input" + d, code.weightData(w.kernel()), features, gu);
        emitProduct(code, b, "input" + d, input, "nb * " + steps, "p", gu, "0", x, features,
                "b0 * " + steps * features);
        emitInitialState(b, code, d);
        if (config.masked() && !config.zeroOutputForMask()) {
            b.addStatement("$T.fill(prev, 0, nb * $L, 0f)", java.util.Arrays.class, u);
        }
        b.beginControlFlow("for (int s = 0; s < $L; s++)", steps);
        b.addStatement("final int t = $L", backwards ? CodeBlock.of("$L - s", steps - 1) : CodeBlock.of("s"));
        // z = h R over the fused columns for all samples of the block; each row of R is loaded once per step.
        int cols = fusedColumns();
        b.beginControlFlow("for (int i = 0; i < nb; i++)");
        if (w.recurrentBias() != null) {
            b.addStatement("System.arraycopy($L, 0, z, i * $L, $L)", code.weight(w.recurrentBias()), gu, cols);
        } else {
            b.addStatement("$T.fill(z, i * $L, i * $L + $L, 0f)", java.util.Arrays.class, gu, gu, cols);
        }
        b.endControlFlow();
        float[] recurrent = code.weightData(w.recurrentKernel());
        ProductKernel state = new ProductKernel(code, "state" + d,
                cols == gu ? recurrent : ProductKernel.columns(recurrent, u, gu, 0, cols), u, cols);
        emitProduct(code, b, "state" + d, state, "nb", "z", gu, "0", "h", u, "0");
        b.beginControlFlow("for (int i = 0; i < nb; i++)");
        b.addStatement("final int po = (i * $L + t) * $L, zo = i * $L, ho = i * $L", steps, gu, gu, u);
        CodeBlock slot = config.returnSequences() ? CodeBlock.of(timeAligned ? "t" : "s") : CodeBlock.of("0");
        b.addStatement("final int so = ((i * $L + $L) * $L + $L) * $L", dirs, d, outSteps, slot, u);
        if (config.masked()) {
            b.beginControlFlow("if ($L[(b0 + i) * $L + t] == 0f)", code.in(1), steps);
            if (config.zeroOutputForMask()) {
                b.addStatement("$T.fill(seq, so, so + $L, 0f)", java.util.Arrays.class, u);
            } else {
                b.addStatement("System.arraycopy(prev, ho, seq, so, $L)", u);
            }
            b.addStatement("continue");
            b.endControlFlow();
        }
        emitStep(b, code, d);
        b.addStatement("System.arraycopy(h, ho, seq, so, $L)", u);
        if (config.masked() && !config.zeroOutputForMask()) {
            b.addStatement("System.arraycopy(h, ho, prev, ho, $L)", u);
        }
        b.endControlFlow();
        b.endControlFlow();
        emitFinalState(b, code, d);
    }

    /**
     * Emits, for each row q below {@code rows} (a Java int expression), {@code target[to + q * ts + j] += sum_k
     * src[so + q * ss + k] * W[k][j]} for j below W's width. C2 vectorises no array access at a run-time offset, and
     * the target's rows are at run-time offsets, so blocks of {@value ProductKernel#ROWS} rows, then single rows, are
     * copied into scratch accumulators at constant offsets, multiplied there by {@code w}'s loops and copied back. The
     * loops run in helper methods of their own ({@code name + "Rows"} and {@code name + "Row"}), as Gemm's do: see
     * {@link OperatorCode#helper} for why a kernel loop should not share its method with the cell's loops. The rows
     * used to be multiplied in place, and C2 compiled those loops to scalar code: lstm_seq ran 340 us at batch 1
     * (now 165) and 11.1 ms at batch 32 (now 4.7).
     *
     * @param name unique among the operator's products
     */
    protected static void emitProduct(OperatorCode code, CodeBlock.Builder b, String name, ProductKernel w,
            String rows, String target, int ts, String to, String src, int ss, String so) {
        int stride = ProductKernel.accumulatorStride(w.m);
        String acc = code.scratch(ACCUMULATORS, ProductKernel.ROWS * stride);
        b.add("{\n$>");
        if (rows.equals("1")) {
            b.addStatement("final int xo0 = $L, to0 = $L", so, to);
            emitRows(code, b, name + "Row", w, 1, stride, target, src, acc);
        } else {
            int block = ProductKernel.ROWS;
            b.addStatement("int q = 0");
            b.beginControlFlow("for (final int rs = $L; q + $L <= rs; q += $L)", rows, block, block);
            b.addStatement("final int xo0 = $L, to0 = $L", plus(so, "q * " + ss), plus(to, "q * " + ts));
            for (int r = 1; r < block; r++) {
                b.addStatement("final int xo$L = xo$L + $L, to$L = to$L + $L", r, r - 1, ss, r, r - 1, ts);
            }
            emitRows(code, b, name + "Rows", w, block, stride, target, src, acc);
            b.endControlFlow();
            b.beginControlFlow("for (final int rs = $L; q < rs; q++)", rows);
            b.addStatement("final int xo0 = $L, to0 = $L", plus(so, "q * " + ss), plus(to, "q * " + ts));
            emitRows(code, b, name + "Row", w, 1, stride, target, src, acc);
            b.endControlFlow();
        }
        b.add("$<}\n");
    }

    /** Rows xo0 .. of src times W added to target rows to0 .., through the accumulators. */
    private static void emitRows(OperatorCode code, CodeBlock.Builder b, String name, ProductKernel w, int count,
            int stride, String target, String src, String acc) {
        for (int r = 0; r < count; r++) {
            b.addStatement("System.arraycopy($L, to$L, $L, $L, $L)", target, r, acc, r * stride, w.m);
        }
        w.accumulateInHelper(code, b, name, src, acc, count, stride);
        for (int r = 0; r < count; r++) {
            b.addStatement("System.arraycopy($L, $L, $L, to$L, $L)", acc, r * stride, target, r, w.m);
        }
    }

    private static String plus(String base, String term) {
        return base.equals("0") ? term : base + " + " + term;
    }

    private String[] stateVars() {
        return states() == 2 ? new String[] {"h", "c"} : new String[] {"h"};
    }

    /** h (and c) of the block's samples from the initial-state inputs, the persistent state, or zeros. */
    private void emitInitialState(CodeBlock.Builder b, OperatorCode code, int d) {
        int u = config.units();
        String[] vars = stateVars();
        for (int s = 0; s < vars.length; s++) {
            if (config.initialState()) {
                int input = 1 + (config.masked() ? 1 : 0) + d * states() + s;
                b.addStatement("System.arraycopy($L, b0 * $L, $L, 0, nb * $L)", code.in(input), u, vars[s], u);
            } else if (config.stateful()) {
                String st = code.persistentState(d * states() + s, u);
                b.addStatement("System.arraycopy($L, b0 * $L, $L, 0, nb * $L)", st, u, vars[s], u);
            } else {
                b.addStatement("$T.fill($L, 0, nb * $L, 0f)", java.util.Arrays.class, vars[s], u);
            }
        }
    }

    private void emitFinalState(CodeBlock.Builder b, OperatorCode code, int d) {
        int u = config.units();
        String[] vars = stateVars();
        for (int s = 0; s < vars.length; s++) {
            if (config.returnState()) {
                int out = sequenceOutputs() + d * states() + s;
                b.addStatement("System.arraycopy($L, 0, $L, b0 * $L, nb * $L)", vars[s], code.out(out), u, u);
            }
            if (config.stateful()) {
                String st = code.persistentState(d * states() + s, u);
                b.addStatement("System.arraycopy($L, 0, $L, b0 * $L, nb * $L)", vars[s], st, u, u);
            }
        }
    }

    /** Copies (one direction) or merges (two) the outputs of block sample i (= sample b) into the output arrays. */
    private void emitMerge(CodeBlock.Builder b, OperatorCode code, int outSteps) {
        int u = config.units();
        int block = outSteps * u;
        Merge merge = config.merge();
        b.addStatement("final int qo = i * $L", config.directions() * block);
        if (merge == null) {
            b.addStatement("System.arraycopy(seq, qo, $L, b * $L, $L)", code.out(0), block, block);
            return;
        }
        switch (merge) {
            case NONE:
                b.addStatement("System.arraycopy(seq, qo, $L, b * $L, $L)", code.out(0), block, block);
                b.addStatement("System.arraycopy(seq, qo + $L, $L, b * $L, $L)", block, code.out(1), block, block);
                return;
            case CONCAT:
                b.beginControlFlow("for (int t = 0; t < $L; t++)", outSteps);
                b.addStatement("final int yo = (b * $L + t) * $L", outSteps, 2 * u);
                b.addStatement("System.arraycopy(seq, qo + t * $L, $L, yo, $L)", u, code.out(0), u);
                b.addStatement("System.arraycopy(seq, qo + $L + t * $L, $L, yo + $L, $L)", block, u, code.out(0), u,
                        u);
                b.endControlFlow();
                return;
            default:
                String op = merge == Merge.SUM ? "seq[qo + j] + seq[qo + $L + j]"
                        : merge == Merge.MUL ? "seq[qo + j] * seq[qo + $L + j]"
                        : "(seq[qo + j] + seq[qo + $L + j]) / 2f";
                b.beginControlFlow("for (int j = 0; j < $L; j++)", block);
                b.addStatement("$L[b * $L + j] = " + op, code.out(0), block, block);
                b.endControlFlow();
        }
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(opType()).append(" units ").append(config.units());
        sb.append(", activation ").append(config.activation());
        if (gates() > 1) {
            sb.append(", recurrent ").append(config.recurrentActivation());
        }
        if (config.merge() != null) {
            sb.append(", bidirectional ").append(config.merge().name().toLowerCase(java.util.Locale.ROOT));
        } else if (config.goBackwards()) {
            sb.append(", backwards");
        }
        if (config.returnSequences()) {
            sb.append(", sequences");
        }
        if (config.masked()) {
            sb.append(", masked");
        }
        if (config.stateful()) {
            sb.append(", stateful");
        }
        return sb.toString();
    }
}
