package io.sofie.maven;

import io.sofie.model.emit.JavaNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Gives each model its package and class: the {@code packageName} parameter and the file's base name in
 * UpperCamelCase, unless a {@code <models><model>} entry overrides them. Rejects overrides that are not Java names
 * or name no model, and two models that would become the same class.
 */
final class ModelNaming {
    private final String defaultPackage;
    private final Map<String, ModelOverride> overrides = new LinkedHashMap<>();

    ModelNaming(String defaultPackage, List<ModelOverride> models) throws MojoFailureException {
        this.defaultPackage = defaultPackage;
        for (ModelOverride o : models == null ? List.<ModelOverride>of() : models) {
            String file = o.getFile() == null ? "" : o.getFile().trim().replace('\\', '/');
            while (file.startsWith("./")) {
                file = file.substring(2);
            }
            if (file.isEmpty()) {
                throw new MojoFailureException("A <model> entry in <models> has no <file>: give the model file's path "
                        + "relative to modelDirectory, for example <file>jet_tagger.h5</file>");
            }
            if (o.getClassName() != null && !JavaNames.isIdentifier(o.getClassName().trim())) {
                throw new MojoFailureException("<model> " + file + ": <className>" + o.getClassName()
                        + "</className> is not a valid Java class name (a Java keyword, empty, or not an identifier):"
                        + " use a name such as Tagger, or remove <className> to use the name derived from the file");
            }
            if (o.getPackageName() != null && (o.getPackageName().isBlank()
                    || !JavaNames.isPackageName(o.getPackageName().trim()))) {
                throw new MojoFailureException("<model> " + file + ": <packageName>" + o.getPackageName()
                        + "</packageName> is not a valid Java package name (each dot-separated part must be an "
                        + "identifier and not a Java keyword): use a name such as com.example.models, or remove "
                        + "<packageName> to use the plugin's packageName");
            }
            if (overrides.put(file, o) != null) {
                throw new MojoFailureException("<models> has two <model> entries for " + file + ": keep one");
            }
        }
    }

    /** Names every model; fails when two of them map to one class or an override names no model found. */
    List<ModelSource> name(List<ModelFile> files) throws MojoFailureException {
        Set<String> unused = new HashSet<>(overrides.keySet());
        Map<String, ModelSource> byClass = new LinkedHashMap<>();
        List<ModelSource> sources = new ArrayList<>();
        for (ModelFile f : files) {
            ModelOverride o = overrides.get(f.displayName());
            unused.remove(f.displayName());
            String pkg = o != null && o.getPackageName() != null ? o.getPackageName().trim() : defaultPackage;
            String cls = o != null && o.getClassName() != null ? o.getClassName().trim()
                    : JavaNames.classNameForFile(f.path().getFileName().toString());
            ModelSource source = new ModelSource(f.path(), f.displayName(), pkg, cls);
            // Lower case: Foo.java and foo.java are one file on case-insensitive file systems.
            ModelSource clash = byClass.putIfAbsent(source.qualifiedName().toLowerCase(Locale.ROOT), source);
            if (clash != null) {
                boolean sameCase = clash.qualifiedName().equals(source.qualifiedName());
                throw new MojoFailureException("Models " + clash.displayName() + " and " + f.displayName()
                        + " both map to the class " + clash.qualifiedName()
                        + (sameCase ? "" : " / " + source.qualifiedName()
                                + " (class names differing only in case clash on case-insensitive file systems)")
                        + ": rename one of the files, give one a <className> in <models>, or exclude it with "
                        + "<excludes>");
            }
            sources.add(source);
        }
        if (!unused.isEmpty()) {
            List<String> names = new ArrayList<>(unused);
            names.sort(null);
            throw new MojoFailureException("<models> names " + String.join(", ", names) + ", but no such model was "
                    + "found in the model directory (after includes and excludes): give <file> as the path relative "
                    + "to modelDirectory with / separators (for a split pair, its .json), for example "
                    + (files.isEmpty() ? "jet_tagger.h5" : files.get(0).displayName()));
        }
        return sources;
    }
}
