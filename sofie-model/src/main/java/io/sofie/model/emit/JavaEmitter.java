package io.sofie.model.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.sofie.model.LayerSummary;
import io.sofie.model.ModelException;
import io.sofie.model.ModelOrigin;
import io.sofie.model.RModel;
import io.sofie.model.ROperator;
import io.sofie.model.Shape;
import io.sofie.model.TensorSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes one Java class for an RModel: the public contract of design.md (INPUT_NAMES, INPUT_SHAPES, OUTPUT_NAMES,
 * OUTPUT_SHAPES, {@code infer}), one private static method per operator (followed by any helper methods it asks
 * for, see {@link OperatorCode#helper}), session buffers planned by {@link BufferPlan}, and a nested holder that reads
 * the weights resource once per class.
 */
public final class JavaEmitter {
    /** Operator calls per method: keeps every generated method far below HotSpot's 8,000-byte JIT limit. */
    private static final int CALLS_PER_METHOD = 64;
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOATS_2D = ArrayTypeName.of(FLOATS);

    private final RModel model;
    private final ClassName className;
    private final BufferPlan plan;
    private final WeightsFile weightsFile = new WeightsFile();
    private final Map<String, String> weightFields = new LinkedHashMap<>();
    /** Row length of weight fields that the holder splits into a {@code float[][]}, by key. */
    private final Map<String, Integer> rowLengths = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<SupportMethod> support = EnumSet.noneOf(SupportMethod.class);
    private final List<Integer> scratchSizes = new ArrayList<>();
    /** Length of each session int array for index lists, fields ix0, ix1, ... */
    private final List<Integer> indexScratchSizes = new ArrayList<>();
    /** Length of the shared array of zeros, 0 when no operator asked for one. */
    private int zerosLength;
    /** Rows and row length of each session scratch array of arrays, the largest any operator asked for. */
    private final List<int[]> scratchRowSizes = new ArrayList<>();
    /** Per-sample sizes of the persistent state arrays, fields state0, state1, ... */
    private final List<Integer> stateSizes = new ArrayList<>();

    private JavaEmitter(RModel model, String packageName, String simpleName) {
        if (!JavaNames.isPackageName(packageName)) {
            throw new ModelException("'" + packageName + "' is not a valid Java package name");
        }
        if (!JavaNames.isIdentifier(simpleName)) {
            throw new ModelException("'" + simpleName + "' is not a valid Java class name");
        }
        this.model = model;
        this.className = ClassName.get(packageName, simpleName);
        this.plan = new BufferPlan(model);
    }

    /** Generates the class {@code packageName.simpleName} and its weights resource. */
    public static GeneratedModel emit(RModel model, String packageName, String simpleName) {
        return new JavaEmitter(model, packageName, simpleName).emit();
    }

    private GeneratedModel emit() {
        List<MethodSpec> opMethods = new ArrayList<>();
        List<CodeBlock> calls = new ArrayList<>();
        usedNames.add("infer");
        usedNames.add("inferInto");
        usedNames.add("ensureCapacity");
        usedNames.add("checkArguments");
        usedNames.add("resetStates");
        for (ROperator op : model.operators()) {
            if (op.aliasesInput()) {
                continue;
            }
            // Named after layer and operator, e.g. dense2Gemm, dense2Softmax: a reader finds the layer at once.
            String method = unique(JavaNames.methodName(op.name() + "_" + op.opType()), usedNames);
            OpCode code = new OpCode(op, method);
            op.emit(code);
            opMethods.add(code.toMethod());
            opMethods.addAll(code.helpers);
            calls.add(code.call());
        }
        String weightsResource = className.simpleName() + ".weights";
        byte[] weights = weightsFile.toBytes();

        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(classJavadoc());
        addContractFields(type);
        if (zerosLength > 0) {
            type.addField(FieldSpec.builder(FLOATS, "ZEROS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Zeros that kernels copy from to clear working arrays; never written.\n")
                    .initializer("new float[$L]", zerosLength).build());
        }
        addSessionFields(type);
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates a session. Sessions share the weights and own only working memory; use one per "
                        + "thread.\n")
                .build());
        addInferMethods(type, calls);
        if (!stateSizes.isEmpty()) {
            type.addMethod(resetStates());
        }
        type.addMethod(ensureCapacity());
        type.addMethod(checkArguments());
        opMethods.forEach(type::addMethod);
        for (SupportMethod m : support) {
            type.addMethod(m.spec());
        }
        type.addType(weightsHolder(weightsResource));

        JavaFile file = JavaFile.builder(className.packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        return new GeneratedModel(file, weights, weightsResource);
    }

    private CodeBlock classJavadoc() {
        ModelOrigin origin = model.origin();
        CodeBlock.Builder doc = CodeBlock.builder();
        String version = origin.producerVersion().isEmpty() ? "" : " (" + origin.producerVersion() + ")";
        doc.add("Inference for {@code $L}$L: $L layers, $L parameters.\n",
                escape(origin.fileName()), escape(version), origin.layers().size(),
                String.format(Locale.ROOT, "%,d", origin.parameters()));
        doc.add("\n<p>Generated by SOFIE for Java from a $L file; do not edit. ", escape(origin.format()));
        doc.add("Inputs and outputs are flat float arrays, row-major over {@code [batch, ...shape]}, in the layout the "
                + "model's {@code predict} uses.\n");
        doc.add("\n<ul>\n");
        for (TensorSpec in : model.inputs()) {
            doc.add("<li>input {@code $L}: {@code $L}</li>\n", escape(in.name()), batchShape(in.shape()));
        }
        for (TensorSpec out : model.outputs()) {
            doc.add("<li>output {@code $L}: {@code $L}</li>\n", escape(out.name()), batchShape(out.shape()));
        }
        doc.add("</ul>\n");
        if (!origin.layers().isEmpty()) {
            doc.add("\n<pre>\n");
            doc.add("$L\n", String.format(Locale.ROOT, "%-32s %-24s %-20s %s", "layer", "class", "output", "parameters"));
            for (LayerSummary l : origin.layers()) {
                doc.add("$L\n", escape(String.format(Locale.ROOT, "%-32s %-24s %-20s %,d",
                        l.name(), l.className(), l.outputShape(), l.parameters())));
            }
            doc.add("</pre>\n");
        }
        return doc.build();
    }

    private static String batchShape(Shape s) {
        StringBuilder sb = new StringBuilder("(batch");
        for (int d : s.dims()) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }

    /** Keeps names from closing the comment or being read as HTML or JavaPoet placeholders. */
    private static String escape(String s) {
        return s.replace("*/", "*&#47;").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("@", "&#64;");
    }

    private void addContractFields(TypeSpec.Builder type) {
        type.addField(stringArray("INPUT_NAMES", "Names of the model inputs, in model order.", model.inputs()));
        type.addField(shapeArray("INPUT_SHAPES", "Per-sample input shapes (batch excluded).", model.inputs()));
        type.addField(stringArray("OUTPUT_NAMES", "Names of the model outputs, in model order.", model.outputs()));
        type.addField(shapeArray("OUTPUT_SHAPES", "Per-sample output shapes (batch excluded).", model.outputs()));
        type.addField(sizes("INPUT_SIZES", model.inputs()));
        type.addField(sizes("OUTPUT_SIZES", model.outputs()));
    }

    private static FieldSpec stringArray(String name, String doc, List<TensorSpec> tensors) {
        CodeBlock.Builder init = CodeBlock.builder().add("{");
        for (int i = 0; i < tensors.size(); i++) {
            init.add(i == 0 ? "$S" : ", $S", tensors.get(i).name());
        }
        return FieldSpec.builder(ArrayTypeName.of(String.class), name,
                        Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(doc + "\n")
                .initializer(init.add("}").build())
                .build();
    }

    private static FieldSpec shapeArray(String name, String doc, List<TensorSpec> tensors) {
        CodeBlock.Builder init = CodeBlock.builder().add("{");
        for (int i = 0; i < tensors.size(); i++) {
            init.add(i == 0 ? "{" : ", {");
            int[] dims = tensors.get(i).shape().dims();
            for (int d = 0; d < dims.length; d++) {
                init.add(d == 0 ? "$L" : ", $L", dims[d]);
            }
            init.add("}");
        }
        return FieldSpec.builder(ArrayTypeName.of(ArrayTypeName.of(TypeName.INT)), name,
                        Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(doc + "\n")
                .initializer(init.add("}").build())
                .build();
    }

    private static FieldSpec sizes(String name, List<TensorSpec> tensors) {
        CodeBlock.Builder init = CodeBlock.builder().add("{");
        for (int i = 0; i < tensors.size(); i++) {
            init.add(i == 0 ? "$L" : ", $L", tensors.get(i).shape().size());
        }
        return FieldSpec.builder(ArrayTypeName.of(TypeName.INT), name,
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(init.add("}").build())
                .build();
    }

    /**
     * The row length to allocate for a session array of arrays of at least {@code floats} per row. HotSpot allocates
     * the rows one after another (a 16-byte header, then the floats, to 8 bytes), and kernels write several
     * neighbouring rows in one loop: rows that start nearly a multiple of 4 KB apart make the core hold loads from
     * one row behind stores to another (4K aliasing). With rows of 1024 floats that cost cnn_small's 32 x 32 layers
     * 20-50% (its first layer 47 against 31 us). So a length is grown by whole cache lines until none of a row's
     * next six neighbours starts within 256 bytes of a multiple of 4 KB.
     */
    static int rowLengthClearOf4kAliasing(int floats) {
        int length = floats;
        while (aliases4k(length)) {
            length += 16;
        }
        return length;
    }

    private static boolean aliases4k(int floats) {
        long distance = (16 + 4L * floats + 7) / 8 * 8;
        for (int k = 1; k <= 6; k++) {
            long apart = k * distance;
            long offset = apart % 4096;
            if (apart > 4096 - 256 && (offset < 256 || offset > 4096 - 256)) {
                return true;
            }
        }
        return false;
    }

    private void addSessionFields(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(TypeName.INT, "capacity", Modifier.PRIVATE).build());
        for (int b = 0; b < plan.bufferSizes().size(); b++) {
            type.addField(FieldSpec.builder(FLOATS, "b" + b, Modifier.PRIVATE)
                    .initializer("new float[0]").build());
        }
        for (int i = 0; i < scratchSizes.size(); i++) {
            type.addField(FieldSpec.builder(FLOATS, "s" + i, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", scratchSizes.get(i)).build());
        }
        for (int i = 0; i < indexScratchSizes.size(); i++) {
            type.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "ix" + i, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new int[$L]", indexScratchSizes.get(i)).build());
        }
        for (int i = 0; i < scratchRowSizes.size(); i++) {
            type.addField(FieldSpec.builder(FLOATS_2D, "t" + i, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L][$L]", scratchRowSizes.get(i)[0],
                            rowLengthClearOf4kAliasing(scratchRowSizes.get(i)[1])).build());
        }
        for (int i = 0; i < stateSizes.size(); i++) {
            type.addField(FieldSpec.builder(FLOATS, "state" + i, Modifier.PRIVATE)
                    .initializer("new float[0]").build());
        }
    }

    private MethodSpec resetStates() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("resetStates")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Zeroes the state the model's stateful layers keep from one call to the next, as Keras's "
                        + "{@code reset_states()}.\n");
        for (int i = 0; i < stateSizes.size(); i++) {
            m.addStatement("$T.fill(state$L, 0f)", java.util.Arrays.class, i);
        }
        return m.build();
    }

    private void addInferMethods(TypeSpec.Builder type, List<CodeBlock> calls) {
        int outs = model.outputs().size();
        type.addMethod(MethodSpec.methodBuilder("infer")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Runs the model on a batch.\n\n"
                        + "@param batchSize number of samples, at least 1\n"
                        + "@param inputs one array per model input, each of {@code batchSize} times that input's "
                        + "per-sample size\n"
                        + "@return one new array per model output\n"
                        + "@throws IllegalArgumentException if the inputs do not match the model\n")
                .addParameter(TypeName.INT, "batchSize")
                .addParameter(FLOATS_2D, "inputs")
                .varargs(true)
                .returns(FLOATS_2D)
                .addStatement("checkArguments(batchSize, inputs)")
                .addStatement("float[][] outputs = new float[$L][]", outs)
                .beginControlFlow("for (int i = 0; i < $L; i++)", outs)
                .addStatement("outputs[i] = new float[batchSize * OUTPUT_SIZES[i]]")
                .endControlFlow()
                .addStatement("run(batchSize, inputs, outputs)")
                .addStatement("return outputs")
                .build());
        if (model.inputs().size() == 1 && outs == 1) {
            type.addMethod(MethodSpec.methodBuilder("infer")
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc("Runs the model on one sample.\n\n"
                            + "@param input the sample, $L floats\n"
                            + "@return the output, $L floats\n"
                            + "@throws IllegalArgumentException if the input has the wrong length\n",
                            model.inputs().get(0).shape().size(), model.outputs().get(0).shape().size())
                    .addParameter(FLOATS, "input")
                    .returns(FLOATS)
                    .addStatement("return infer(1, input)[0]")
                    .build());
        }
        type.addMethod(MethodSpec.methodBuilder("inferInto")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Runs the model on a batch, writing into caller-owned output arrays; allocates nothing "
                        + "once this session has seen a batch this large.\n\n"
                        + "@param batchSize number of samples, at least 1\n"
                        + "@param inputs one array per model input\n"
                        + "@param outputs one array per model output, each at least {@code batchSize} times that "
                        + "output's per-sample size\n"
                        + "@throws IllegalArgumentException if the arrays do not match the model\n")
                .addParameter(TypeName.INT, "batchSize")
                .addParameter(FLOATS_2D, "inputs")
                .addParameter(FLOATS_2D, "outputs")
                .addStatement("checkArguments(batchSize, inputs)")
                .beginControlFlow("if (outputs == null || outputs.length != $L)", outs)
                .addStatement("throw new IllegalArgumentException($S + (outputs == null ? 0 : outputs.length))",
                        className.simpleName() + " has " + outs + " output(s); got output arrays: ")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < $L; i++)", outs)
                .beginControlFlow("if (outputs[i] == null || outputs[i].length < (long) batchSize * OUTPUT_SIZES[i])")
                .addStatement("throw new IllegalArgumentException(\"output \" + i + \" (\" + OUTPUT_NAMES[i] "
                        + "+ \") needs \" + (long) batchSize * OUTPUT_SIZES[i] + \" floats, got \" "
                        + "+ (outputs[i] == null ? \"null\" : outputs[i].length + \"\"))")
                .endControlFlow()
                .endControlFlow()
                .addStatement("run(batchSize, inputs, outputs)")
                .build());

        MethodSpec.Builder run = MethodSpec.methodBuilder("run")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "n")
                .addParameter(FLOATS_2D, "inputs")
                .addParameter(FLOATS_2D, "outputs")
                .addStatement("ensureCapacity(n)");
        usedNames.add("run");
        if (calls.size() <= CALLS_PER_METHOD) {
            calls.forEach(c -> run.addStatement(c));
        } else {
            for (int part = 0; part * CALLS_PER_METHOD < calls.size(); part++) {
                String name = unique("runPart" + part, usedNames);
                MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(TypeName.INT, "n")
                        .addParameter(FLOATS_2D, "inputs");
                for (CodeBlock c : calls.subList(part * CALLS_PER_METHOD,
                        Math.min(calls.size(), (part + 1) * CALLS_PER_METHOD))) {
                    m.addStatement(c);
                }
                type.addMethod(m.build());
                run.addStatement("$L(n, inputs)", name);
            }
        }
        for (int i = 0; i < outs; i++) {
            TensorSpec out = model.outputs().get(i);
            run.addStatement("System.arraycopy($L, 0, outputs[$L], 0, n * $L)",
                    array(out.name()), i, out.shape().size());
        }
        type.addMethod(run.build());
    }

    private MethodSpec ensureCapacity() {
        MethodSpec.Builder m = MethodSpec.methodBuilder("ensureCapacity")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "n")
                .beginControlFlow("if (n <= capacity)")
                .addStatement("return")
                .endControlFlow();
        for (int b = 0; b < plan.bufferSizes().size(); b++) {
            m.addStatement("b$L = new float[Math.multiplyExact(n, $L)]", b, plan.bufferSizes().get(b));
        }
        // Persistent state grows with the batch and keeps the samples it already holds.
        for (int i = 0; i < stateSizes.size(); i++) {
            m.addStatement("state$L = $T.copyOf(state$L, Math.multiplyExact(n, $L))", i, java.util.Arrays.class, i,
                    stateSizes.get(i));
        }
        return m.addStatement("capacity = n").build();
    }

    private MethodSpec checkArguments() {
        int ins = model.inputs().size();
        return MethodSpec.methodBuilder("checkArguments")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(TypeName.INT, "batchSize")
                .addParameter(FLOATS_2D, "inputs")
                .beginControlFlow("if (batchSize < 1)")
                .addStatement("throw new IllegalArgumentException(\"batchSize must be at least 1, got \" + batchSize)")
                .endControlFlow()
                .beginControlFlow("if (inputs == null || inputs.length != $L)", ins)
                .addStatement("throw new IllegalArgumentException($S + (inputs == null ? 0 : inputs.length))",
                        className.simpleName() + " takes " + ins + " input(s) " + model.inputs() + "; got ")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < $L; i++)", ins)
                .addStatement("long expected = (long) batchSize * INPUT_SIZES[i]")
                .beginControlFlow("if (inputs[i] == null || inputs[i].length != expected)")
                .addStatement("throw new IllegalArgumentException(\"input \" + i + \" (\" + INPUT_NAMES[i] + \") must "
                        + "hold batchSize x \" + INPUT_SIZES[i] + \" = \" + expected + \" floats, got \" "
                        + "+ (inputs[i] == null ? \"null\" : inputs[i].length + \"\"))")
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private TypeSpec weightsHolder(String resource) {
        TypeSpec.Builder holder = TypeSpec.classBuilder("Weights")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads {@code $L} once, on first use.\n", resource);
        CodeBlock.Builder names = CodeBlock.builder().add("{");
        CodeBlock.Builder assign = CodeBlock.builder().addStatement("float[][] a = read()");
        int i = 0;
        for (Map.Entry<String, String> e : weightFields.entrySet()) {
            Integer rowLength = rowLengths.get(e.getKey());
            holder.addField(FieldSpec.builder(rowLength == null ? FLOATS : FLOATS_2D, e.getValue(),
                    Modifier.STATIC, Modifier.FINAL).build());
            names.add(i == 0 ? "$S" : ",$W$S", e.getKey());
            if (rowLength == null) {
                assign.addStatement("$L = a[$L]", e.getValue(), i);
            } else {
                assign.addStatement("$L = rows(a[$L], $L)", e.getValue(), i, rowLength);
            }
            i++;
        }
        if (!rowLengths.isEmpty()) {
            holder.addMethod(MethodSpec.methodBuilder("rows")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(FLOATS_2D)
                    .addParameter(FLOATS, "flat")
                    .addParameter(TypeName.INT, "rowLength")
                    .addStatement("float[][] rows = new float[flat.length / rowLength][]")
                    .beginControlFlow("for (int r = 0; r < rows.length; r++)")
                    .addStatement("rows[r] = $T.copyOfRange(flat, r * rowLength, (r + 1) * rowLength)",
                            java.util.Arrays.class)
                    .endControlFlow()
                    .addStatement("return rows")
                    .build());
        }
        holder.addField(FieldSpec.builder(ArrayTypeName.of(String.class), "NAMES",
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(names.add("}").build())
                .build());
        holder.addStaticBlock(assign.build());
        holder.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        String where = (className.packageName().isEmpty() ? "" : className.packageName().replace('.', '/') + "/")
                + resource;
        holder.addMethod(MethodSpec.methodBuilder("read")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(FLOATS_2D)
                .addStatement("byte[] bytes")
                .beginControlFlow("try ($T in = $T.class.getResourceAsStream($S))", java.io.InputStream.class,
                        className, resource)
                .beginControlFlow("if (in == null)")
                .addStatement("throw new IllegalStateException($S)", "weights resource " + where + " is not on the "
                        + "classpath; it is generated beside " + className.simpleName() + ".java by the "
                        + "sofie-maven-plugin into its resourceDirectory, which must be packaged with the class")
                .endControlFlow()
                .addStatement("bytes = in.readAllBytes()")
                .nextControlFlow("catch ($T e)", java.io.IOException.class)
                .addStatement("throw new $T($S, e)", java.io.UncheckedIOException.class, "cannot read " + where)
                .endControlFlow()
                .addStatement("$T buf = $T.wrap(bytes).order($T.LITTLE_ENDIAN)", java.nio.ByteBuffer.class,
                        java.nio.ByteBuffer.class, java.nio.ByteOrder.class)
                .addStatement("$T crc = new $T()", java.util.zip.CRC32.class, java.util.zip.CRC32.class)
                .beginControlFlow("if (bytes.length >= 20)")
                .addStatement("crc.update(bytes, 0, bytes.length - 4)")
                .endControlFlow()
                .addStatement("byte[] magic = new byte[8]")
                .beginControlFlow("if (bytes.length < 20 || (int) crc.getValue() != buf.getInt(bytes.length - 4))")
                .addStatement("throw new IllegalStateException($S)", "weights resource " + where
                        + " is truncated or corrupt (checksum mismatch); regenerate it with the sofie-maven-plugin")
                .endControlFlow()
                .addStatement("buf.get(magic)")
                .beginControlFlow("if (!new String(magic, $T.US_ASCII).equals($S) || buf.getInt() != $L)",
                        java.nio.charset.StandardCharsets.class, new String(WeightsFile.MAGIC,
                                java.nio.charset.StandardCharsets.US_ASCII), WeightsFile.VERSION)
                .addStatement("throw new IllegalStateException($S)", "weights resource " + where
                        + " is not a SOFIE weights file of version " + WeightsFile.VERSION)
                .endControlFlow()
                .addStatement("int count = buf.getInt()")
                .beginControlFlow("if (count != NAMES.length)")
                .addStatement("throw new IllegalStateException($S + count)", "weights resource " + where
                        + " was generated for another model: expected " + weightFields.size() + " arrays, found ")
                .endControlFlow()
                .addStatement("float[][] arrays = new float[count][]")
                .beginControlFlow("for (int i = 0; i < count; i++)")
                .addStatement("byte[] name = new byte[buf.getInt()]")
                .addStatement("buf.get(name)")
                .beginControlFlow("if (!new String(name, $T.UTF_8).equals(NAMES[i]))",
                        java.nio.charset.StandardCharsets.class)
                .addStatement("throw new IllegalStateException($S + NAMES[i])", "weights resource " + where
                        + " was generated for another model: missing ")
                .endControlFlow()
                .addStatement("arrays[i] = new float[buf.getInt()]")
                .endControlFlow()
                .beginControlFlow("for (float[] a : arrays)")
                .addStatement("buf.asFloatBuffer().get(a)")
                .addStatement("buf.position(buf.position() + 4 * a.length)")
                .endControlFlow()
                .addStatement("return arrays")
                .build());
        return holder.build();
    }

    /** The Java expression for a tensor's array inside {@code run}. */
    private String array(String tensor) {
        BufferPlan.Storage s = plan.storage(tensor);
        return s.input ? "inputs[" + s.index + "]" : "b" + s.index;
    }

    private String weightField(String key, float[] data) {
        String field = weightFields.get(key);
        if (field == null) {
            field = unique(JavaNames.constantName(key), new HashSet<>(weightFields.values()));
            weightFields.put(key, field);
            weightsFile.add(key, data);
        }
        return field;
    }

    private static String unique(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + i;
        }
        taken.add(name);
        return name;
    }

    /** The emission context of one operator. */
    private final class OpCode implements OperatorCode {
        private final ROperator op;
        private final String method;
        private final CodeBlock.Builder body = CodeBlock.builder();
        private final List<MethodSpec> helpers = new ArrayList<>();
        private final List<Integer> scratch = new ArrayList<>();
        private final List<Integer> indexScratch = new ArrayList<>();
        private int scratchRows;
        /** Global state field number of this operator's persistent state {@code index}. */
        private final List<Integer> states = new ArrayList<>();

        OpCode(ROperator op, String method) {
            this.op = op;
            this.method = method;
        }

        @Override
        public String in(int i) {
            check(i, op.inputs().size());
            return "x" + i;
        }

        @Override
        public String out(int i) {
            check(i, op.outputs().size());
            return "y" + i;
        }

        @Override
        public Shape inShape(int i) {
            return model.shape(op.inputs().get(i));
        }

        @Override
        public Shape outShape(int i) {
            return model.shape(op.outputs().get(i));
        }

        @Override
        public String batch() {
            return "n";
        }

        @Override
        public CodeBlock weight(String name) {
            return CodeBlock.of("Weights.$L", weightField(name, model.weight(name).data()));
        }

        @Override
        public Shape weightShape(String name) {
            return model.weight(name).shape();
        }

        @Override
        public float[] weightData(String name) {
            return model.weight(name).data();
        }

        @Override
        public CodeBlock constant(String key, float[] data) {
            return CodeBlock.of("Weights.$L", weightField(method + "/" + key, data));
        }

        @Override
        public CodeBlock constantRows(String key, float[] data, int rowLength) {
            if (rowLength < 1 || data.length % rowLength != 0) {
                throw new ModelException(op.opType() + " " + op.name() + ": constant " + key + " of " + data.length
                        + " floats is not a whole number of rows of " + rowLength);
            }
            String k = method + "/" + key;
            rowLengths.put(k, rowLength);
            return CodeBlock.of("Weights.$L", weightField(k, data));
        }

        @Override
        public String scratch(int index, int floats) {
            atLeast(scratch, index, floats);
            atLeast(scratchSizes, index, floats);
            return "s" + index;
        }

        @Override
        public String indexScratch(int index, int ints) {
            atLeast(indexScratch, index, ints);
            atLeast(indexScratchSizes, index, ints);
            return "ix" + index;
        }

        /** Grows {@code sizes} to hold {@code index} and makes that entry at least {@code size}. */
        private void atLeast(List<Integer> sizes, int index, int size) {
            while (sizes.size() <= index) {
                sizes.add(0);
            }
            sizes.set(index, Math.max(sizes.get(index), size));
        }

        @Override
        public String zeros(int floats) {
            zerosLength = Math.max(zerosLength, floats);
            return "ZEROS";
        }

        @Override
        public String scratchRows(int index, int rows, int rowLength) {
            scratchRows = Math.max(scratchRows, index + 1);
            while (scratchRowSizes.size() <= index) {
                scratchRowSizes.add(new int[2]);
            }
            int[] size = scratchRowSizes.get(index);
            size[0] = Math.max(size[0], rows);
            size[1] = Math.max(size[1], rowLength);
            return "t" + index;
        }

        @Override
        public String persistentState(int index, int floatsPerSample) {
            if (index < 0 || index > states.size()) {
                throw new ModelException(op.opType() + " " + op.name() + " asked for persistent state " + index
                        + " before state " + states.size());
            }
            if (index == states.size()) {
                states.add(stateSizes.size());
                stateSizes.add(floatsPerSample);
            } else if (stateSizes.get(states.get(index)) != floatsPerSample) {
                throw new ModelException(op.opType() + " " + op.name() + " asked for persistent state " + index
                        + " with two sizes");
            }
            return "st" + index;
        }

        @Override
        public void require(SupportMethod m) {
            support.add(m);
            support.addAll(m.calls());
        }

        @Override
        public String helper(MethodSpec helper) {
            if (!helper.modifiers().isEmpty()) {
                throw new IllegalArgumentException("helper " + helper.name() + " of " + method
                        + " must come without modifiers; it is made private static");
            }
            String name = unique(method + Character.toUpperCase(helper.name().charAt(0))
                    + helper.name().substring(1), usedNames);
            helpers.add(helper.toBuilder().setName(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC).build());
            return name;
        }

        @Override
        public CodeBlock.Builder body() {
            return body;
        }

        private void check(int i, int count) {
            if (i < 0 || i >= count) {
                throw new ModelException(op.opType() + " " + op.name() + " has no operand " + i);
            }
        }

        MethodSpec toMethod() {
            MethodSpec.Builder m = MethodSpec.methodBuilder(method)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addJavadoc("$L {@code $L}: $L, $L.\n", op.opType(), escape(op.name()), escape(op.describe()),
                            escape(shapes()));
            for (int i = 0; i < op.inputs().size(); i++) {
                m.addParameter(ParameterSpec.builder(FLOATS, "x" + i, Modifier.FINAL).build());
            }
            for (int i = 0; i < op.outputs().size(); i++) {
                m.addParameter(ParameterSpec.builder(FLOATS, "y" + i, Modifier.FINAL).build());
            }
            for (int i = 0; i < scratch.size(); i++) {
                m.addParameter(ParameterSpec.builder(FLOATS, "s" + i, Modifier.FINAL).build());
            }
            for (int i = 0; i < indexScratch.size(); i++) {
                m.addParameter(ParameterSpec.builder(ArrayTypeName.of(TypeName.INT), "ix" + i, Modifier.FINAL)
                        .build());
            }
            for (int i = 0; i < scratchRows; i++) {
                m.addParameter(ParameterSpec.builder(FLOATS_2D, "t" + i, Modifier.FINAL).build());
            }
            for (int i = 0; i < states.size(); i++) {
                m.addParameter(ParameterSpec.builder(FLOATS, "st" + i, Modifier.FINAL).build());
            }
            m.addParameter(ParameterSpec.builder(TypeName.INT, "n", Modifier.FINAL).build());
            return m.addCode(body.build()).build();
        }

        CodeBlock call() {
            CodeBlock.Builder c = CodeBlock.builder().add("$L(", method);
            for (String in : op.inputs()) {
                c.add("$L, ", array(in));
            }
            for (String out : op.outputs()) {
                c.add("$L, ", array(out));
            }
            for (int i = 0; i < scratch.size(); i++) {
                c.add("s$L, ", i);
            }
            for (int i = 0; i < indexScratch.size(); i++) {
                c.add("ix$L, ", i);
            }
            for (int i = 0; i < scratchRows; i++) {
                c.add("t$L, ", i);
            }
            for (int s : states) {
                c.add("state$L, ", s);
            }
            return c.add("n)").build();
        }

        private String shapes() {
            StringBuilder sb = new StringBuilder();
            for (String in : op.inputs()) {
                sb.append(sb.length() == 0 ? "" : " ").append(model.shape(in));
            }
            sb.append(" -> ");
            for (int i = 0; i < op.outputs().size(); i++) {
                sb.append(i == 0 ? "" : " ").append(model.shape(op.outputs().get(i)));
            }
            return sb.toString();
        }
    }
}
