package io.sofie.model.testing;

import io.sofie.model.emit.GeneratedModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A generated model compiled in memory exactly as a consumer's javac would (release 11, {@code -Xlint:all}, any
 * warning fails), loaded with its weights resource, and callable through the public contract.
 */
public final class CompiledModel {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private final Object session;
    private final Method infer;
    private final Class<?> type;

    private CompiledModel(Class<?> type) throws ReflectiveOperationException {
        this.type = type;
        Constructor<?> c = type.getConstructor();
        this.session = c.newInstance();
        this.infer = type.getMethod("infer", int.class, float[][].class);
    }

    public static CompiledModel compile(GeneratedModel model) {
        return compile(model, model.weights());
    }

    /** Compiles the model but serves {@code weights} as its weights resource (to test corrupt resources). */
    public static CompiledModel compile(GeneratedModel model, byte[] weights) {
        String className = model.className();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager std = JAVAC.getStandardFileManager(diagnostics, Locale.ROOT, null);
        JavaFileManager fm = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension),
                        kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(name, out);
                        return out;
                    }
                };
            }
        };
        String source = model.source();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("mem:///" + model.sourcePath()),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("--release", "11", "-Xlint:all", "-Werror", "-proc:none");
        boolean ok = JAVAC.getTask(null, fm, diagnostics, options, null, List.of(file)).call();
        if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
            StringBuilder sb = new StringBuilder("generated " + className + " does not compile cleanly:\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                sb.append("  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT))
                        .append('\n');
            }
            throw new AssertionError(sb.toString());
        }
        String resource = model.weightsResourcePath();
        ClassLoader loader = new ClassLoader(CompiledModel.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = b.toByteArray();
                return defineClass(name, bytes, 0, bytes.length);
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                return name.equals(resource) ? new ByteArrayInputStream(weights) : super.getResourceAsStream(name);
            }
        };
        try {
            return new CompiledModel(loader.loadClass(className));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot load generated " + className, e);
        }
    }

    public Class<?> type() {
        return type;
    }

    /** A new session of the generated class. */
    public Object newSession() {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    public float[][] infer(int batch, float[]... inputs) {
        return infer(session, batch, inputs);
    }

    public float[][] infer(Object onSession, int batch, float[]... inputs) {
        try {
            return (float[][]) infer.invoke(onSession, batch, inputs);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new AssertionError(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads a public static field of the contract, such as INPUT_SHAPES. */
    public Object contractField(String name) {
        try {
            return type.getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The largest absolute difference between two arrays of equal length. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

}
