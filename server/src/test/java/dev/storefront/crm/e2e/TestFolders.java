package dev.storefront.crm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders tests write (databases, plugin jars, servers' logs), all under the module's {@code target/test-tmp},
 * which the build empties before the tests run ({@code server/pom.xml}). In {@code /tmp} every run's files stayed
 * (several GB a run); a test run now leaves at most its own behind.
 */
public final class TestFolders {
    private static final Path ROOT = Path.of("target", "test-tmp").toAbsolutePath();

    private TestFolders() {
    }

    /** A new, empty folder whose name starts with the prefix. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(ROOT), prefix);
    }

    /**
     * The JVM option that gives a server the tests start a temporary folder here: DuckDB unpacks its 69 MB native
     * library there, and a server killed on purpose never deletes it.
     */
    public static String serverTempOption() {
        try {
            return "-Djava.io.tmpdir=" + create("crm-server-tmp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
