package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The staging folder beside a test's database, where uploads and their part files wait for their import. */
final class Staging {

    private Staging() {
    }

    /** The names of the files staged beside {@code database}. */
    static List<String> staged(Path database) throws IOException {
        try (Stream<Path> files = Files.list(database.getParent().resolve("staging"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** Waits until the staging folder holds an upload's part {@code k} (written as {@code <upload>.part-<charset>-<k>}). */
    static void awaitPart(Path database, int k) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (staged(database).stream().noneMatch(name -> name.endsWith(".part-UTF-8-" + k))) {
            assertThat(System.nanoTime()).as("no part %s written", k).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
