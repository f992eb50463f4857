package io.sofie.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuietLibraryLogsTest {
    private static final String KEY = "org.slf4j.simpleLogger.log.io.jhdf";
    private final String saved = System.getProperty(KEY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, saved);
        }
    }

    @Test
    void jhdfInfoLogsBecomeDebugOutput() {
        System.clearProperty(KEY);

        QuietLibraryLogs.apply();

        assertEquals("warn", System.getProperty(KEY));
    }

    @Test
    void aLevelTheUserChoseIsKept() {
        System.setProperty(KEY, "debug");

        QuietLibraryLogs.apply();

        assertEquals("debug", System.getProperty(KEY));
    }
}
