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
import io.sofie.model.ROperator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
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
 * are kept under {@code target/fuzz-failures}. {@code -Dsofie.fuzz.executions=N}, {@code -Dsofie.fuzz.seed=S} and
 * {@code -Dsofie.fuzz.seconds=T} run a longer or different campaign.
 */
class ImportFuzzTest {
    private static final int EXECUTIONS = Integer.getInteger("sofie.fuzz.executions", 40_000);
    private static final long SEED = Long.getLong("sofie.fuzz.seed", 20261124L);
    /** A safety net for a slow, shared machine: the campaign stops early (and says so) after this long. */
    private static final long BUDGET_SECONDS = Long.getLong("sofie.fuzz.seconds", 90);
    private static final long CASE_TIMEOUT_SECONDS = 20;
    private static final int WORKERS = 2;
    private static final int COMPILED_SAMPLE = 2;
    /** Exceptions that mean this project's own code met input it did not check, not a file it judged corrupt. */
    private static final List<Class<?>> PROGRAMMING_ERRORS = List.of(NullPointerException.class,
            ClassCastException.class, IndexOutOfBoundsException.class, ArithmeticException.class,
            NegativeArraySizeException.class, UnsupportedOperationException.class, NumberFormatException.class);

    @TempDir
    Path tempDir;

    private final KerasImporter importer = new KerasImporter();
    /** Structures of the imported models already emitted: mutated weight values need no second emission. */
    private final Set<String> emitted = ConcurrentHashMap.newKeySet();

    /** What became of one file: refused, or imported and (for a structure not seen before) emitted. */
    private record Outcome(boolean imported, GeneratedModel emitted) {
        static final Outcome REFUSED = new Outcome(false, null);
    }

    /** One case in flight: the mutant and its description (for the record) and the result. */
    private static final class Pending {
        final Mutant mutant;
        final String what;
        final Future<Outcome> result;

        Pending(Mutant mutant, String what, Future<Outcome> result) {
            this.mutant = mutant;
            this.what = what;
            this.result = result;
        }
    }

    @Test
    void mutatedModelFilesImportOrAreRefusedClearly() throws Exception {
        List<FuzzSeed> seeds = seeds();
        Path dir = scratchDirectory();
        try {
            run(seeds, dir);
        } finally {
            if (!dir.equals(tempDir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private void run(List<FuzzSeed> seeds, Path dir) throws Exception {
        Random rnd = new Random(SEED);
        Map<String, String> failures = new LinkedHashMap<>();
        int[] outcomes = new int[2]; // refused, imported
        List<GeneratedModel> toCompile = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, ImportFuzzTest::daemon);
        Deque<Pending> inFlight = new ArrayDeque<>();
        long start = System.nanoTime();
        long deadline = start + BUDGET_SECONDS * 1_000_000_000L;
        int executed = 0;
        try {
            for (; executed < EXECUTIONS && System.nanoTime() < deadline; executed++) {
                if (inFlight.size() == WORKERS) {
                    pool = settle(inFlight.poll(), pool, failures, outcomes, toCompile);
                }
                FuzzSeed seed = seeds.get(rnd.nextInt(seeds.size()));
                long caseSeed = rnd.nextLong();
                // Each worker slot has its own folder; a slot is free again once its previous case is settled.
                Path file = dir.resolve("slot" + executed % WORKERS).resolve(seed.fileName);
                Mutant m = Mutant.of(seed, new Random(caseSeed));
                String what = "#" + executed + " (case seed " + caseSeed + "): " + m.description;
                inFlight.add(new Pending(m, what, pool.submit(() -> importAndEmit(file, m))));
            }
            while (!inFlight.isEmpty()) {
                pool = settle(inFlight.poll(), pool, failures, outcomes, toCompile);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "[fuzz] %d executions in %.1f s (%.0f/s, %d workers) from %d seed files: "
                + "%d imported (%d distinct structures emitted), %d refused with KerasImportException, %d distinct "
                + "failures%s%n", executed, seconds, executed / seconds, WORKERS, seeds.size(), outcomes[1],
                emitted.size(), outcomes[0], failures.size(),
                executed < EXECUTIONS ? "; stopped at the " + BUDGET_SECONDS + " s budget" : "");
        for (GeneratedModel g : toCompile) {
            CompiledModel.compile(g);
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(failures.size() + " distinct failure(s):\n");
            failures.forEach((sig, detail) -> sb.append("--- ").append(sig).append('\n').append(detail).append('\n'));
            fail(sb.toString());
        }
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "the mutations should both break and spare files");
        assertTrue(executed >= Math.min(EXECUTIONS, 5_000), "only " + executed + " executions in the time budget");
    }

    /** Waits for one case; returns the pool to use next (a new one if a hung case holds a worker). */
    private ExecutorService settle(Pending p, ExecutorService pool, Map<String, String> failures, int[] outcomes,
            List<GeneratedModel> toCompile) throws IOException, InterruptedException {
        try {
            Outcome o = p.result.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            outcomes[o.imported() ? 1 : 0]++;
            if (o.emitted() != null && toCompile.size() < COMPILED_SAMPLE && p.mutant.description.contains("json:")) {
                toCompile.add(o.emitted());
            }
            return pool;
        } catch (TimeoutException e) {
            p.result.cancel(true);
            pool.shutdownNow();
            record(failures, "hang over " + CASE_TIMEOUT_SECONDS + " s", p.what, null, p.mutant);
            return Executors.newFixedThreadPool(WORKERS, ImportFuzzTest::daemon);
        } catch (ExecutionException e) {
            record(failures, signature(e.getCause()), p.what, e.getCause(), p.mutant);
            return pool;
        }
    }

    /**
     * Imports and, for a structure not seen before, emits. A refusal must be a KerasImportException naming the file
     * and a reason, and not an unchecked programming error in this project's code passed off as a corrupt file.
     */
    private Outcome importAndEmit(Path file, Mutant m) throws IOException {
        Files.createDirectories(file.getParent());
        // Overwriting in place makes ext4 flush on every truncation; a fresh file is 10x faster.
        Files.deleteIfExists(file);
        Files.write(file, m.bytes);
        RModel model;
        try {
            model = importer.importModel(file);
        } catch (KerasImportException e) {
            String name = file.getFileName().toString();
            if (e.file() == null || !e.file().startsWith(name) || !e.getMessage().startsWith(e.file() + ": ")
                    || e.reason() == null || e.reason().isBlank()) {
                throw new AssertionError("the error does not name the file and a reason: " + e.getMessage(), e);
            }
            Throwable cause = e.getCause();
            if (cause != null && PROGRAMMING_ERRORS.stream().anyMatch(c -> c.isInstance(cause))
                    && thrownBySofie(cause)) {
                throw new AssertionError("an unchecked " + cause + " became a generic refusal: " + e.getMessage(),
                        cause);
            }
            return Outcome.REFUSED;
        }
        if (!emitted.add(structure(model))) {
            return new Outcome(true, null);
        }
        return new Outcome(true, JavaEmitter.emit(Optimizer.optimize(model), "fuzz", "Model"));
    }

    /** Operators, their tensors and shapes: what the emitter depends on, weight values aside. */
    private static String structure(RModel model) {
        StringBuilder sb = new StringBuilder();
        model.inputs().forEach(t -> sb.append(t.name()).append(t.shape()).append(';'));
        for (ROperator op : model.operators()) {
            sb.append(op.opType()).append(op.inputs()).append(op.outputs()).append(op.describe()).append(';');
        }
        model.weights().values().forEach(w -> sb.append(w.name()).append(w.shape()).append(';'));
        return sb.toString();
    }

    private static boolean thrownBySofie(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return c.startsWith("io.sofie.");
            }
        }
        return false;
    }

    /** /dev/shm where it exists: writing tens of thousands of files to a disk costs more than importing them. */
    private Path scratchDirectory() throws IOException {
        Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "sofie-fuzz");
        }
        return tempDir;
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
        if (t instanceof AssertionError && t.getCause() != null) {
            return "refusal hiding " + signature(t.getCause());
        }
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
        // Every keras3 fixture: since all their layers are supported, each mutant reaches the translators too.
        List<String> cases;
        try (Stream<Path> dirs = Files.list(root)) {
            cases = dirs.filter(d -> Files.exists(d.resolve("model.keras"))).map(d -> d.getFileName().toString())
                    .sorted().collect(java.util.stream.Collectors.toList());
        }
        for (String c : cases) {
            seeds.add(FuzzSeed.read(root.resolve(c).resolve("model.h5"), c + "/model.h5"));
            seeds.add(FuzzSeed.read(root.resolve(c).resolve("model.keras"), c + "/model.keras"));
        }
        return seeds;
    }
}
