package io.sofie.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quick side-by-side for a busy machine, where JMH's wall-clock times swing with the load: the same comparison as the
 * JMH benchmarks (generated {@code inferInto} against ORT {@code run}, one thread, same inputs, outputs checked), but
 * timed in this thread's CPU time. ORT with one intra-op thread runs on the calling thread, so its CPU time is
 * counted too. Rounds of the two engines alternate so both see the same conditions; the median round is reported.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.sofie.bench.CpuTimeComparison [seconds per case]}
 */
public final class CpuTimeComparison {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimeComparison() {
    }

    public static void main(String[] args) throws OrtException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        System.out.println("model      batch  generated us  ORT us  ratio (ORT / generated)");
        // The batches bench/README.md suggests per model family.
        String[][] plan = {{"mlp_small", "1", "64"}, {"mlp_large", "1", "64"}, {"conv1d_signal", "1", "64"},
            {"cnn_small", "1", "16"}, {"cnn_mobile", "1", "16"}, {"lstm_seq", "1", "32"}, {"gru_seq", "1", "32"}};
        for (String[] row : plan) {
            for (int i = 1; i < row.length; i++) {
                compare(row[0], Integer.parseInt(row[i]), seconds);
            }
        }
    }

    private static void compare(String model, int batch, double seconds) throws OrtException {
        Reference ref = Reference.load(model);
        float[] x = ref.inputBatch(batch);
        float[][] in = {x};
        float[][] out = {new float[ref.outputBatch(batch).length]};
        GeneratedModels.Session session = GeneratedModels.open(model);
        Runnable generated = () -> session.inferInto(batch, in, out);
        generated.run();
        ref.check("generated", batch, out[0]);
        try (OrtModel ort = new OrtModel(model, ref.inputShape, x, batch)) {
            ref.check("ONNX Runtime", batch, ort.runAndCopy());
            Runnable onnx = () -> {
                try (OrtSession.Result r = ort.run()) {
                    if (r.size() != 1) {
                        throw new IllegalStateException();
                    }
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            };
            // Compiled code first: sized from interpreted calls, rounds of a microsecond model were too few for C2 to
            // compile it during the warm-up rounds, and the medians then measured tier-1 code (2-3x slower).
            warmUp(generated);
            warmUp(onnx);
            // Calls per round: about 20 ms of work, so a round is long against timer resolution.
            int calls = Math.max(1, (int) (20e6 / timeOne(generated)));
            int rounds = Math.max(5, (int) (seconds * 1e9 / 2 / (calls * timeOne(generated) + calls * timeOne(onnx))));
            for (int warm = 0; warm < rounds / 3 + 1; warm++) {
                round(generated, calls);
                round(onnx, calls);
            }
            double[] g = new double[rounds];
            double[] o = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                g[i] = round(generated, calls);
                o[i] = round(onnx, calls);
            }
            double gm = median(g) / 1e3;
            double om = median(o) / 1e3;
            System.out.printf(Locale.ROOT, "%-10s %5d  %12.2f  %6.2f  %.2f%n", model, batch, gm, om, om / gm);
        }
    }

    /** Runs {@code r} for a second of the calling thread's CPU time. */
    private static void warmUp(Runnable r) {
        long start = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
            r.run();
        }
    }

    private static double timeOne(Runnable r) {
        long t = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < 10; i++) {
            r.run();
        }
        return Math.max(1, (THREADS.getCurrentThreadCpuTime() - t) / 10.0);
    }

    /** CPU nanoseconds per call over {@code calls} calls. */
    private static double round(Runnable r, int calls) {
        long t = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            r.run();
        }
        return (THREADS.getCurrentThreadCpuTime() - t) / (double) calls;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
