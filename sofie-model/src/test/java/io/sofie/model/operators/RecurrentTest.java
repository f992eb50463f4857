package io.sofie.model.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sofie.model.RModel;
import io.sofie.model.Shape;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.operators.Recurrent.Config;
import io.sofie.model.operators.Recurrent.Merge;
import io.sofie.model.testing.CompiledModel;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The emitted RNN, LSTM and GRU against a plain-loop reference written here from Keras's cell equations (per gate,
 * per unit, in double), over directions, masks, initial and returned state, merges and persistent state.
 */
class RecurrentTest {
    enum Cell { RNN, LSTM, GRU_AFTER, GRU_BEFORE }

    private static final int T = 5;
    private static final int F = 3;
    private static final int U = 4;
    /** Two sample blocks of the emitted code (8 + 3). */
    private static final int BATCH = 11;

    @ParameterizedTest(name = "{0} seq {1} back {2} merge {3} mask {4} zero {5} init {6} state {7} bias {8}")
    @CsvSource({
        "RNN,        true,  false, ,       false, false, false, false, true",
        "RNN,        false, true,  ,       true,  false, false, true,  true",
        "RNN,        true,  true,  ,       false, false, false, false, false",
        "LSTM,       true,  false, ,       false, false, false, false, true",
        "LSTM,       false, true,  ,       false, false, true,  true,  true",
        "LSTM,       true,  false, ,       true,  false, true,  false, true",
        "LSTM,       true,  true,  ,       true,  true,  false, false, true",
        "LSTM,       true,  false, CONCAT, true,  true,  false, true,  true",
        "LSTM,       false, false, SUM,    false, false, true,  false, true",
        "LSTM,       true,  false, MUL,    false, false, false, false, true",
        "LSTM,       true,  false, AVE,    true,  false, false, false, true",
        "LSTM,       true,  false, NONE,   false, false, false, true,  true",
        "GRU_AFTER,  true,  false, ,       false, false, false, false, true",
        "GRU_AFTER,  false, true,  ,       true,  false, false, true,  true",
        "GRU_AFTER,  true,  false, ,       false, false, true,  false, false",
        "GRU_BEFORE, true,  false, ,       false, false, false, false, true",
        "GRU_BEFORE, false, true,  ,       true,  false, true,  true,  false",
        "GRU_BEFORE, true,  false, CONCAT, false, false, false, false, true",
    })
    void matchesPlainLoops(Cell cell, boolean sequences, boolean backwards, Merge merge, boolean masked,
            boolean zeroOutput, boolean initial, boolean returnState, boolean bias) {
        Random rnd = new Random(cell.ordinal() * 1000 + (sequences ? 1 : 0) + (backwards ? 2 : 0)
                + (merge == null ? 0 : 4 * (merge.ordinal() + 1)));
        Activation act = cell == Cell.LSTM && !sequences ? Activation.of(Activation.Kind.RELU)
                : Activation.of(Activation.Kind.TANH);
        Activation rec = cell == Cell.GRU_BEFORE ? Activation.of(Activation.Kind.HARD_SIGMOID, 0.2f, 0.5f)
                : Activation.of(Activation.Kind.SIGMOID);
        Config config = new Config(U, act, rec, sequences, returnState, backwards, merge, false, zeroOutput, masked,
                initial);
        Case c = new Case(cell, config, bias, rnd);
        float[][] inputs = c.inputs(rnd);
        float[][] expected = c.reference(inputs, null);
        float[][] actual = c.compile("Rec").infer(BATCH, inputs);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double worst = CompiledModel.maxAbsDiff(expected[i], actual[i]);
            assertTrue(worst < 1e-5, "output " + i + ": worst difference " + worst);
        }
    }

    /**
     * Sizes that take the products' other paths: 10 features and 17 units give kernels of whole groups of four rows
     * plus a tail, gate widths of 17 to 68 (one array per group of rows, and for a single row two groups per pass),
     * and 5 samples give row blocks of three followed by single rows, for the input and the state products alike.
     */
    @ParameterizedTest(name = "{0} bidirectional {1}")
    @CsvSource({"RNN, false", "LSTM, false", "LSTM, true", "GRU_AFTER, false", "GRU_BEFORE, false",
        "GRU_BEFORE, true"})
    void matchesPlainLoopsOnWideKernels(Cell cell, boolean bidirectional) {
        Random rnd = new Random(50 + cell.ordinal());
        Config config = new Config(17, Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SIGMOID),
                true, false, false, bidirectional ? Merge.CONCAT : null, false, false, false, false);
        int batch = 5;
        Case c = new Case(cell, config, true, rnd, 4, 10, batch);
        float[][] inputs = c.inputs(rnd);
        float[] expected = c.reference(inputs, null)[0];
        float[] actual = c.compile("Wide").infer(batch, inputs)[0];
        double worst = CompiledModel.maxAbsDiff(expected, actual);
        assertTrue(worst < 1e-5, "worst difference " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RNN", "LSTM", "GRU_AFTER", "GRU_BEFORE"})
    void persistentStateCarriesOverCallsUntilReset(Cell cell) throws Exception {
        Random rnd = new Random(7 + cell.ordinal());
        Config config = new Config(U, Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SIGMOID),
                true, false, false, null, true, false, false, false);
        Case c = new Case(cell, config, true, rnd);
        CompiledModel model = c.compile("Stateful");
        float[][] first = c.inputs(rnd);
        float[][] second = c.inputs(rnd);
        float[][] carried = new float[c.states][BATCH * U];
        float[] out1 = c.reference(first, carried)[0];
        float[] out2 = c.reference(second, carried)[0];
        Object session = model.newSession();
        assertTrue(CompiledModel.maxAbsDiff(out1, model.infer(session, BATCH, first)[0]) < 1e-5, "call 1");
        assertTrue(CompiledModel.maxAbsDiff(out2, model.infer(session, BATCH, second)[0]) < 1e-5, "call 2");
        Method reset = model.type().getMethod("resetStates");
        reset.invoke(session);
        assertTrue(CompiledModel.maxAbsDiff(out1, model.infer(session, BATCH, first)[0]) < 1e-5, "after reset");
    }

    /** One operator with random weights, its model, and the reference. */
    private static final class Case {
        final Cell cell;
        final Config config;
        final int gates;
        final int states;
        final int dirs;
        final float[][] kernel;
        final float[][] recurrent;
        final float[][] bias;
        final float[][] recurrentBias;
        final int steps;
        final int features;
        final int units;
        final int batch;

        Case(Cell cell, Config config, boolean withBias, Random rnd) {
            this(cell, config, withBias, rnd, T, F, BATCH);
        }

        Case(Cell cell, Config config, boolean withBias, Random rnd, int steps, int features, int batch) {
            this.steps = steps;
            this.features = features;
            this.units = config.units();
            this.batch = batch;
            this.cell = cell;
            this.config = config;
            this.gates = cell == Cell.RNN ? 1 : cell == Cell.LSTM ? 4 : 3;
            this.states = cell == Cell.LSTM ? 2 : 1;
            this.dirs = config.directions();
            kernel = new float[dirs][];
            recurrent = new float[dirs][];
            bias = new float[dirs][];
            recurrentBias = new float[dirs][];
            for (int d = 0; d < dirs; d++) {
                kernel[d] = random(rnd, features * gates * units);
                recurrent[d] = random(rnd, units * gates * units);
                bias[d] = withBias ? random(rnd, gates * units) : null;
                recurrentBias[d] = withBias && cell == Cell.GRU_AFTER ? random(rnd, gates * units) : null;
            }
        }

        float[][] inputs(Random rnd) {
            List<float[]> in = new ArrayList<>();
            in.add(random(rnd, batch * steps * features));
            if (config.masked()) {
                float[] m = new float[batch * steps];
                for (int i = 0; i < m.length; i++) {
                    m[i] = rnd.nextInt(3) == 0 ? 0f : 1f;
                }
                m[0] = 0f; // sample 0 starts masked: the output before the first valid step is 0
                m[steps - 1] = 0f;
                in.add(m);
            }
            if (config.initialState()) {
                for (int i = 0; i < dirs * states; i++) {
                    in.add(random(rnd, batch * units));
                }
            }
            return in.toArray(new float[0][]);
        }

        CompiledModel compile(String className) {
            RModel.Builder b = RModel.builder("rec").addInput("x", Shape.of(steps, features));
            List<String> inputs = new ArrayList<>(List.of("x"));
            if (config.masked()) {
                b.addInput("mask", Shape.of(steps));
                inputs.add("mask");
            }
            if (config.initialState()) {
                for (int i = 0; i < dirs * states; i++) {
                    b.addInput("init" + i, Shape.of(units));
                    inputs.add("init" + i);
                }
            }
            List<Recurrent.Weights> weights = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                b.addWeight("k" + d, Shape.of(features, gates * units), kernel[d]);
                b.addWeight("r" + d, Shape.of(units, gates * units), recurrent[d]);
                if (bias[d] != null) {
                    b.addWeight("b" + d, Shape.of(gates * units), bias[d]);
                }
                if (recurrentBias[d] != null) {
                    b.addWeight("rb" + d, Shape.of(gates * units), recurrentBias[d]);
                }
                weights.add(new Recurrent.Weights("k" + d, "r" + d, bias[d] == null ? null : "b" + d,
                        recurrentBias[d] == null ? null : "rb" + d));
            }
            int outs = (config.merge() == Merge.NONE ? 2 : 1) + (config.returnState() ? dirs * states : 0);
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < outs; i++) {
                outputs.add("y" + i);
            }
            Recurrent op;
            switch (cell) {
                case RNN:
                    op = new RNN("rnn", inputs, outputs, config, weights);
                    break;
                case LSTM:
                    op = new LSTM("lstm", inputs, outputs, config, weights);
                    break;
                default:
                    op = new GRU("gru", inputs, outputs, config, weights, cell == Cell.GRU_AFTER);
            }
            b.addOperator(op);
            outputs.forEach(b::addOutput);
            return CompiledModel.compile(JavaEmitter.emit(b.build(), "t", className));
        }

        /** Keras's recurrence, written out. {@code carried} (states x batch x units), when given, is read and updated. */
        float[][] reference(float[][] in, float[][] carried) {
            int outSteps = config.returnSequences() ? steps : 1;
            int width = config.merge() == Merge.CONCAT ? 2 * units : units;
            int seqOuts = config.merge() == Merge.NONE ? 2 : 1;
            List<float[]> result = new ArrayList<>();
            for (int i = 0; i < seqOuts; i++) {
                result.add(new float[batch * outSteps * width]);
            }
            for (int i = 0; config.returnState() && i < dirs * states; i++) {
                result.add(new float[batch * units]);
            }
            float[] x = in[0];
            float[] mask = config.masked() ? in[1] : null;
            for (int b = 0; b < batch; b++) {
                double[][][] seq = new double[dirs][outSteps][units];
                for (int d = 0; d < dirs; d++) {
                    boolean backwards = config.merge() == null ? config.goBackwards() : d == 1;
                    double[] h = new double[units];
                    double[] c = new double[units];
                    for (int s = 0; s < states; s++) {
                        double[] target = s == 0 ? h : c;
                        for (int j = 0; j < units; j++) {
                            if (config.initialState()) {
                                target[j] = in[1 + (mask != null ? 1 : 0) + d * states + s][b * units + j];
                            } else if (carried != null) {
                                target[j] = carried[s][b * units + j];
                            }
                        }
                    }
                    double[] prev = new double[units];
                    for (int s = 0; s < steps; s++) {
                        int t = backwards ? steps - 1 - s : s;
                        int slot = config.returnSequences() ? (config.merge() != null ? t : s) : 0;
                        if (mask != null && mask[b * steps + t] == 0f) {
                            seq[d][slot] = config.zeroOutputForMask() ? new double[units] : prev.clone();
                            continue;
                        }
                        double[][] xg = new double[gates][units];
                        double[][] hg = new double[gates][units];
                        for (int g = 0; g < gates; g++) {
                            for (int j = 0; j < units; j++) {
                                int col = g * units + j;
                                double acc = bias[d] == null ? 0 : bias[d][col];
                                for (int f = 0; f < features; f++) {
                                    acc += x[(b * steps + t) * features + f] * (double) kernel[d][f * gates * units + col];
                                }
                                xg[g][j] = acc;
                                double rAcc = recurrentBias[d] == null ? 0 : recurrentBias[d][col];
                                for (int k = 0; k < units; k++) {
                                    rAcc += h[k] * recurrent[d][k * gates * units + col];
                                }
                                hg[g][j] = rAcc;
                            }
                        }
                        double[] nh = new double[units];
                        for (int j = 0; j < units; j++) {
                            switch (cell) {
                                case RNN:
                                    nh[j] = f(config.activation(), xg[0][j] + hg[0][j]);
                                    break;
                                case LSTM: {
                                    double i = f(config.recurrentActivation(), xg[0][j] + hg[0][j]);
                                    double fg = f(config.recurrentActivation(), xg[1][j] + hg[1][j]);
                                    double g = f(config.activation(), xg[2][j] + hg[2][j]);
                                    double o = f(config.recurrentActivation(), xg[3][j] + hg[3][j]);
                                    c[j] = fg * c[j] + i * g;
                                    nh[j] = o * f(config.activation(), c[j]);
                                    break;
                                }
                                case GRU_AFTER: {
                                    double z = f(config.recurrentActivation(), xg[0][j] + hg[0][j]);
                                    double r = f(config.recurrentActivation(), xg[1][j] + hg[1][j]);
                                    double hh = f(config.activation(), xg[2][j] + r * hg[2][j]);
                                    nh[j] = z * h[j] + (1 - z) * hh;
                                    break;
                                }
                                default: {
                                    double z = f(config.recurrentActivation(), xg[0][j] + hg[0][j]);
                                    double acc = 0;
                                    for (int k = 0; k < units; k++) {
                                        double rk = f(config.recurrentActivation(), xg[1][k] + hg[1][k]);
                                        acc += rk * h[k] * recurrent[d][k * gates * units + 2 * units + j];
                                    }
                                    double hh = f(config.activation(), xg[2][j] + acc);
                                    nh[j] = z * h[j] + (1 - z) * hh;
                                }
                            }
                        }
                        h = nh;
                        seq[d][slot] = h.clone();
                        prev = h.clone();
                    }
                    for (int s = 0; s < states; s++) {
                        double[] v = s == 0 ? h : c;
                        for (int j = 0; j < units; j++) {
                            if (config.returnState()) {
                                result.get(seqOuts + d * states + s)[b * units + j] = (float) v[j];
                            }
                            if (carried != null) {
                                carried[s][b * units + j] = (float) v[j];
                            }
                        }
                    }
                }
                for (int t = 0; t < outSteps; t++) {
                    for (int j = 0; j < units; j++) {
                        double fw = seq[0][t][j];
                        int o = (b * outSteps + t) * width;
                        if (config.merge() == null) {
                            result.get(0)[o + j] = (float) fw;
                            continue;
                        }
                        double bw = seq[1][t][j];
                        switch (config.merge()) {
                            case CONCAT:
                                result.get(0)[o + j] = (float) fw;
                                result.get(0)[o + units + j] = (float) bw;
                                break;
                            case SUM:
                                result.get(0)[o + j] = (float) (fw + bw);
                                break;
                            case MUL:
                                result.get(0)[o + j] = (float) (fw * bw);
                                break;
                            case AVE:
                                result.get(0)[o + j] = (float) ((fw + bw) / 2);
                                break;
                            default:
                                result.get(0)[o + j] = (float) fw;
                                result.get(1)[o + j] = (float) bw;
                        }
                    }
                }
            }
            return result.toArray(new float[0][]);
        }
    }

    private static double f(Activation a, double v) {
        switch (a.kind()) {
            case TANH:
                return Math.tanh(v);
            case SIGMOID:
                return 1 / (1 + Math.exp(-v));
            case RELU:
                return Math.max(0, v);
            case HARD_SIGMOID:
                return Math.max(0, Math.min(1, 0.2 * v + 0.5));
            default:
                throw new AssertionError(a);
        }
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }
}
