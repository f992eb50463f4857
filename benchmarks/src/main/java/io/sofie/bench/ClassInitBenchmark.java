package io.sofie.bench;

import io.sofie.bench.generated.MlpLarge;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cold start of the largest generated class (mlp_large, 7.5 MB of weights): each measurement loads the class afresh in
 * its own class loader, so the static weights holder is initialised again, reading its resource.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ClassInitBenchmark {
    private static final String MODEL = MlpLarge.class.getName();

    private FreshLoader loader;
    private float[] sample;

    @Setup(Level.Iteration)
    public void newLoader() {
        loader = new FreshLoader();
        sample = Reference.load("mlp_large").inputBatch(1);
    }

    @TearDown(Level.Iteration)
    public void closeLoader() throws Exception {
        loader.close();
    }

    /** Initialising the weights holder: reading and checking the weights resource into float arrays. */
    @Benchmark
    public Class<?> mlpLargeWeightsLoad() throws ClassNotFoundException {
        return Class.forName(MODEL + "$Weights", true, loader);
    }

    /** From an unloaded class to the first result: class loading, weights, a session, one batch-1 call. */
    @Benchmark
    public Object mlpLargeFirstInfer() throws ReflectiveOperationException {
        Class<?> type = Class.forName(MODEL, true, loader);
        Object session = type.getConstructor().newInstance();
        Method infer = type.getMethod("infer", float[].class);
        return infer.invoke(session, (Object) sample);
    }

    /** Loads the generated classes itself (child first) so that every instance initialises them anew. */
    private static final class FreshLoader extends URLClassLoader {
        FreshLoader() {
            super(new URL[] {MlpLarge.class.getProtectionDomain().getCodeSource().getLocation()},
                    ClassInitBenchmark.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(MODEL)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
