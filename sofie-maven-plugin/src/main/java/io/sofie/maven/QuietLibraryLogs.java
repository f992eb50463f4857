package io.sofie.maven;

/**
 * jHDF 0.13 logs every group it opens and every dataset it reads at INFO ("Lazy loading children of ...", "Getting
 * flat data for ..."): dozens of lines per model in the user's build log. Maven's SLF4J provider reads a logger's
 * level from the system property {@code org.slf4j.simpleLogger.log.<name>} when the logger is created, so setting it
 * for {@code io.jhdf} before any jHDF class is initialised turns those lines into debug output (shown with
 * {@code mvn -X}). A level the user chose is kept.
 */
final class QuietLibraryLogs {
    private static final String JHDF_LEVEL = "org.slf4j.simpleLogger.log.io.jhdf";

    private QuietLibraryLogs() {
    }

    static void apply() {
        // Parallel executions may race here; they all write the same value.
        if (System.getProperty(JHDF_LEVEL) == null) {
            System.setProperty(JHDF_LEVEL, "warn");
        }
    }
}
