package io.sofie.maven;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.codehaus.plexus.build.BuildContext;

/**
 * Writes generated files so that a failed build leaves no half-written output: every file is first written in full
 * to a temporary sibling, and only when all of them are written are they moved into place, each atomically. A file
 * whose content is unchanged is not touched, so javac and IDEs do not see a change where there is none.
 */
final class OutputWriter {
    private final BuildContext buildContext;
    private final List<Staged> staged = new ArrayList<>();

    private record Staged(Path temp, Path target) {
    }

    OutputWriter(BuildContext buildContext) {
        this.buildContext = buildContext;
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target}; nothing is visible until {@link #commit}.
     * Returns the absolute target path.
     */
    Path stage(Path target, byte[] content) throws IOException {
        target = target.toAbsolutePath();
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        staged.add(new Staged(temp, target));
        // Written directly, not through BuildContext.newFileOutputStream: the IDE is told about the target once it
        // is in place (commit), never about a temporary file that is about to vanish.
        Files.write(temp, content);
        return target;
    }

    /** Moves every staged file into place and tells the build context (m2e refreshes its workspace) about it. */
    List<Path> commit() throws IOException {
        List<Path> written = new ArrayList<>();
        for (Staged s : staged) {
            move(s.temp(), s.target());
            buildContext.refresh(s.target().toFile());
            written.add(s.target());
        }
        staged.clear();
        return written;
    }

    /** Deletes whatever was staged and not committed. */
    void discard() {
        for (Staged s : staged) {
            try {
                Files.deleteIfExists(s.temp());
            } catch (IOException e) {
                // Best effort: a stray temp file under target/ is harmless and removed by mvn clean.
            }
        }
        staged.clear();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
