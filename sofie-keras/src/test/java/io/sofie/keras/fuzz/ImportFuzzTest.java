package io.sofie.keras.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sofie.keras.KerasImportException;
import io.sofie.keras.KerasImporter;
import io.sofie.model.RModel;
import io.sofie.model.emit.GeneratedModel;
import io.sofie.model.emit.JavaEmitter;
import io.sofie.model.passes.Optimizer;
import io.sofie.model.testing.CompiledModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer over the keras3 fixtures (model.h5 and model.keras): tens of thousands of damaged files
 * (bit flips, overwritten byte runs, edge-value integers, truncations, duplicated chunks, and mutated model configs
 * inside the h5 attribute or config.json) go through {@link KerasImporter#importModel}. Each must either import (and
 * then emit; a sample also compiles) or be refused with a {@link KerasImportException} naming the file: no other
 * exception, no hang, no OutOfMemoryError.
 *
 * <p>Failures are reported once per distinct exception and place, with the mutations that caused them, and the files
 * are kept under {@code target/fuzz-failures}. {@code -Dsofie.fuzz.executions=N} and {@code -Dsofie.fuzz.seed=S}
 * run a longer or different campaign.
 */
class ImportFuzzTest {
    private static final int EXECUTIONS = Integer.getInteger("sofie.fuzz.executions", 30_000);
    private static final long SEED = Long.getLong("sofie.fuzz.seed", 20261124L);
    private static final long CASE_TIMEOUT_SECONDS = 20;
    private static final int COMPILED_SAMPLE = 3;
    private static final List<String> CASES = List.of("sequential_mlp", "lstm_variants", "nested_model",
            "embedding_lstm", "multi_input_output", "bidirectional", "time_distributed_repeat", "masking_rnn",
            "shared_layer", "dense_batchnorm", "einsum_dense", "gru_variants", "attention", "mha");

    @TempDir
    Path dir;

    private final KerasImporter importer = new KerasImporter();

    @Test
    void mutatedModelFilesImportOrAreRefusedClearly() throws Exception {
        List<FuzzSeed> seeds = seeds();
        Random rnd = new Random(SEED);
        Map<String, String> failures = new LinkedHashMap<>();
        int imported = 0;
        int refused = 0;
        List<GeneratedModel> toCompile = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(ImportFuzzTest::daemon);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < EXECUTIONS; i++) {
                FuzzSeed seed = seeds.get(rnd.nextInt(seeds.size()));
                long caseSeed = rnd.nextLong();
                Mutant m = Mutant.of(seed, new Random(caseSeed));
                String what = "#" + i + " (case seed " + caseSeed + "): " + m.description;
                Path file = dir.resolve(seed.fileName);
                Files.write(file, m.bytes);
                Future<GeneratedModel> run = worker.submit(() -> importAndEmit(file));
                try {
                    GeneratedModel g = run.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    if (g == null) {
                        refused++;
                    } else {
                        imported++;
                        if (toCompile.size() < COMPILED_SAMPLE && m.description.contains("json:")) {
                            toCompile.add(g);
                        }
                    }
                } catch (TimeoutException e) {
                    run.cancel(true);
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor(ImportFuzzTest::daemon);
                    record(failures, "hang over " + CASE_TIMEOUT_SECONDS + " s", what, null, m);
                } catch (ExecutionException e) {
                    record(failures, signature(e.getCause()), what, e.getCause(), m);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "[fuzz] %d executions in %.1f s (%.0f/s) from %d seed files: %d imported, "
                + "%d refused with KerasImportException, %d distinct failures%n", EXECUTIONS, seconds,
                EXECUTIONS / seconds, seeds.size(), imported, refused, failures.size());
        for (GeneratedModel g : toCompile) {
            CompiledModel.compile(g);
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(failures.size() + " distinct failure(s):\n");
            failures.forEach((sig, detail) -> sb.append("--- ").append(sig).append('\n').append(detail).append('\n'));
            fail(sb.toString());
        }
        assertTrue(refused > 0 && imported > 0, "the mutations should both break and spare files");
    }

    /** Imports and emits; null when the importer refused the file as it should (a clear KerasImportException). */
    private GeneratedModel importAndEmit(Path file) {
        RModel model;
        try {
            model = importer.importModel(file);
        } catch (KerasImportException e) {
            String name = file.getFileName().toString();
            if (e.file() == null || !e.file().startsWith(name) || !e.getMessage().startsWith(name + ": ")
                    && !e.getMessage().startsWith(e.file() + ": ") || e.reason() == null || e.reason().isBlank()) {
                throw new AssertionError("the error does not name the file and a reason: " + e.getMessage(), e);
            }
            return null;
        }
        return JavaEmitter.emit(Optimizer.optimize(model), "fuzz", "Model");
    }

    private static void record(Map<String, String> failures, String signature, String what, Throwable t,
            Mutant m) throws IOException {
        if (failures.containsKey(signature) || failures.size() >= 40) {
            return;
        }
        Path keep = Paths.get("target", "fuzz-failures");
        Files.createDirectories(keep);
        String saved = keep.resolve("failure" + failures.size() + "-" + (what.contains(".keras") ? "model.keras"
                : "model.h5")).toString();
        Files.write(Paths.get(saved), m.bytes);
        StringWriter trace = new StringWriter();
        if (t != null) {
            t.printStackTrace(new PrintWriter(trace));
        }
        String text = trace.toString();
        failures.put(signature, what + "\n  saved as " + saved + "\n" + text.substring(0, Math.min(text.length(),
                3000)));
    }

    /** The exception type and the first frame in project or jhdf code: one entry per distinct bug. */
    private static String signature(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.")) {
                sb.append(" at ").append(e);
                break;
            }
        }
        return sb.toString();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "fuzz-import");
        t.setDaemon(true);
        return t;
    }

    private static List<FuzzSeed> seeds() throws IOException, URISyntaxException {
        Path root = Paths.get(ImportFuzzTest.class.getResource("/fixtures/keras3/manifest.json").toURI()).getParent();
        List<FuzzSeed> seeds = new ArrayList<>();
        for (String c : CASES) {
            seeds.add(FuzzSeed.read(root.resolve(c).resolve("model.h5"), c + "/model.h5"));
            seeds.add(FuzzSeed.read(root.resolve(c).resolve("model.keras"), c + "/model.keras"));
        }
        return seeds;
    }
}
