// What the parallel build produced: each module's jar holds its own classes and weights, and nothing generated for
// tests reaches a jar.
import java.util.zip.ZipFile

def check = { boolean ok, String what -> if (!ok) throw new AssertionError(what) }
def entries = { String module ->
    new ZipFile(new File(basedir, "${module}/target/${module}-1.0.jar")).withCloseable { z -> z.entries().collect { it.name } }
}

String log = new File(basedir, 'build.log').text
check(log.contains('MultiThreadedBuilder') && log.contains('thread count of 4'), 'the build was not run with -T 4')

check(entries('features').containsAll(['com/example/features/FeatureNet.class', 'com/example/features/FeatureNet.weights']),
        "features jar: ${entries('features')}")
List<String> scoring = entries('scoring')
check(scoring.containsAll(['com/example/scoring/MergeOps.class', 'com/example/scoring/MergeOps.weights']),
        "scoring jar: ${scoring}")
check(!scoring.any { it.contains('NestedModel') }, "scoring jar holds test-only output: ${scoring}")
check(new File(basedir, 'scoring/target/generated-test-sources/sofie/com/example/scoring/NestedModel.java').isFile(),
        'generate-test output')
check(new File(basedir, 'scoring/target/generated-test-resources/sofie/com/example/scoring/NestedModel.weights').isFile(),
        'generate-test weights')
check(entries('extra').containsAll(['com/example/extra/net/NestedModel.class', 'com/example/extra/net/NestedModel.weights']),
        "extra jar: ${entries('extra')}")
check(log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0'), 'scoring tests did not all run')
true
