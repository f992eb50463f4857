// The steps of the incremental-builds IT: pre(n) runs before build n (prebuild.n.groovy), post(n) after it
// (postbuild.n.groovy). Before a build whose writes matter, every generated file is given an old timestamp, so a
// rewrite shows whatever the file system's timestamp resolution.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.FileTime

base = basedir.toPath()
Path models = base.resolve('src/main/models')
Path gen = base.resolve('target/generated-sources/sofie')
Path res = base.resolve('target/generated-resources/sofie')
// Outside target/: build 4 is a clean build.
Path snapshot = base.resolve('build-3-output')
FileTime OLD = FileTime.fromMillis(1_000_000_000_000L)

def out = { String pkg, String cls ->
    String dir = pkg.replace('.', '/')
    [gen.resolve(dir + '/' + cls + '.java'), res.resolve(dir + '/' + cls + '.weights')]
}
def mlp = out('com.example.models', 'SequentialMlp')
def scorer = out('com.example.models', 'Scorer')
def merger = out('com.example.merge', 'Merger')
def nested = out('com.example.models', 'NestedModel')
def filesUnder = { Path root ->
    !Files.isDirectory(root) ? [] : Files.walk(root).withCloseable { s -> s.filter { Files.isRegularFile(it) }.toList() }
}
def generated = { (filesUnder(gen) + filesUnder(res)).sort() }
def age = { generated().each { Files.setLastModifiedTime(it, OLD) } }
def isOld = { Path p -> Files.getLastModifiedTime(p) == OLD }
def check = { boolean ok, String what -> if (!ok) throw new AssertionError(what) }
// The SOFIE lines of the last build (build.log holds every build of this project, one after the other).
def sofieLog = {
    String all = new File(basedir, 'build.log').text
    all.substring(all.lastIndexOf('Scanning for projects')).readLines().findAll { it.contains('SOFIE') }
}
def regenerated = { List<String> lines ->
    lines.findAll { it =~ /SOFIE: \S+ -> / }.collect { (it =~ /SOFIE: (\S+) -> /)[0][1] }.sort()
}

pre = { int n ->
    switch (n) {
        case 1: // a fourth model that no step changes
            Files.copy(models.resolve('sequential_mlp.h5'), models.resolve('scorer.h5'))
            break
        case 3: // touch one model, change another (a different network under its name), delete a third
            age()
            Files.setLastModifiedTime(models.resolve('sequential_mlp.h5'),
                    FileTime.fromMillis(System.currentTimeMillis() + 5000))
            Files.copy(models.resolve('nested_model.h5'), models.resolve('merge_ops.h5'),
                    StandardCopyOption.REPLACE_EXISTING)
            Files.delete(models.resolve('nested_model.h5'))
            break
    }
    true
}

post = { int n ->
    List<String> log = sofieLog()
    switch (n) {
        case 1: // every model generated, the <models> override applied
            check(regenerated(log) == ['merge_ops.h5', 'nested_model.h5', 'scorer.h5', 'sequential_mlp.h5'],
                    "build 1: ${log}")
            check(generated() == (mlp + scorer + merger + nested).sort(), "build 1 outputs: ${generated()}")
            age()
            break
        case 2: // nothing changed: nothing generated or written, and the check is quick
            def upToDate = log.find { it =~ /4 model\(s\) up to date \(checked in \d+ ms\)/ }
            check(upToDate != null && regenerated(log).isEmpty(), "build 2: ${log}")
            int millis = (upToDate =~ /checked in (\d+) ms/)[0][1] as int
            // Under 100 ms per model; most of it is class loading in a fresh JVM (GenerateMojoTest measures the
            // warm cost).
            check(millis < 400, "build 2: the up-to-date check took ${millis} ms for 4 models")
            check(generated().every(isOld), 'build 2 rewrote a file')
            break
        case 3:
            // The touched and the changed model are generated again, the others not.
            check(regenerated(log) == ['merge_ops.h5', 'sequential_mlp.h5']
                    && log.any { it.contains('1 other model(s) up to date') }, "build 3: ${log}")
            // The touched model's content is the same, so its files are not rewritten; the changed model's are.
            check(mlp.every(isOld) && scorer.every(isOld), 'build 3 rewrote files whose content did not change')
            check(merger.every { !isOld(it) }, 'build 3 did not rewrite the changed model\'s files')
            // The deleted model's class and weights are gone.
            check(log.count { it.contains('SOFIE: deleted') } == 2, "build 3: ${log}")
            check(generated() == (mlp + scorer + merger).sort(), "build 3 outputs: ${generated()}")
            generated().each { p ->
                Path copy = snapshot.resolve(base.relativize(p).toString())
                Files.createDirectories(copy.parent)
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING)
            }
            break
        case 4: // clean build, other time zone and locale: the same bytes as the incremental builds left
            check(regenerated(log).size() == 3, "build 4: ${log}")
            List<Path> before = filesUnder(snapshot).collect { snapshot.relativize(it) }.sort()
            check(generated().collect { base.relativize(it) } == before, "build 4 files: ${generated()} vs ${before}")
            before.each { p ->
                check(Arrays.equals(Files.readAllBytes(snapshot.resolve(p)), Files.readAllBytes(base.resolve(p))),
                        "build 4: ${p} differs from build 3")
            }
            break
        case 5: // a new packageName: every model regenerated, the old package's files deleted
            def moved = out('com.example.other', 'SequentialMlp') + out('com.example.other', 'Scorer')
            check(regenerated(log) == ['merge_ops.h5', 'scorer.h5', 'sequential_mlp.h5'], "build 5: ${log}")
            check(generated() == (merger + moved).sort(), "build 5 outputs: ${generated()}")
            check(moved[0].toFile().text.startsWith('package com.example.other;'), 'build 5: package of a moved class')
            break
    }
    true
}
