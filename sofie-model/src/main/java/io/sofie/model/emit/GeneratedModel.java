package io.sofie.model.emit;

import com.palantir.javapoet.JavaFile;

/** The emitter's output for one model: a Java source file and the weights resource it loads. */
public final class GeneratedModel {
    private final JavaFile javaFile;
    private final byte[] weights;
    private final String weightsResourceName;

    GeneratedModel(JavaFile javaFile, byte[] weights, String weightsResourceName) {
        this.javaFile = javaFile;
        this.weights = weights;
        this.weightsResourceName = weightsResourceName;
    }

    public JavaFile javaFile() {
        return javaFile;
    }

    /** Fully qualified class name. */
    public String className() {
        return javaFile.packageName().isEmpty()
                ? javaFile.typeSpec().name()
                : javaFile.packageName() + "." + javaFile.typeSpec().name();
    }

    public String source() {
        return javaFile.toString();
    }

    public byte[] weights() {
        return weights.clone();
    }

    /** Path of the weights resource relative to a resource root, for example {@code com/example/JetTagger.weights}. */
    public String weightsResourcePath() {
        String pkg = javaFile.packageName();
        return pkg.isEmpty() ? weightsResourceName : pkg.replace('.', '/') + "/" + weightsResourceName;
    }

    /** Path of the source file relative to a source root. */
    public String sourcePath() {
        String pkg = javaFile.packageName();
        String file = javaFile.typeSpec().name() + ".java";
        return pkg.isEmpty() ? file : pkg.replace('.', '/') + "/" + file;
    }
}
