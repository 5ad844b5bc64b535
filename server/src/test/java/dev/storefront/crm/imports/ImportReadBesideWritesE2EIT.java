package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.plugins.PluginServerSupport;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Other writes while a large CSV import still reads its file, on the real server: the import's first chunk converts while
 * the rest is read, and its transaction must not commit before the read's end (a file unreadable further on writes
 * nothing), but it must not keep every other write of the CRM waiting for that end either. GraphQL mutations on another
 * object, made one after the other from the moment the first chunk converts, keep returning while the file is still
 * read, each in a fraction of the read; the import then ends with exactly its rows, or, for a file whose last record is
 * unreadable, with nothing written and every mutation's entry kept. {@value #ROWS} customers of ~{@value #PADDING} bytes
 * each (a column no field reads, so the read is long and the converts short), chunks of {@value #CHUNK}. Its own
 * database, no plugins.
 */
class ImportReadBesideWritesE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final int ROWS = 300_000;
    private static final int CHUNK = 10_000;
    private static final int PADDING = 800;
    /** The part whose file, once begun, shows that part 0 is whole: the first chunk converts while the read goes on. */
    private static final int CONVERTING = 1;

    /** The generated files, removed after each test whatever its outcome. */
    @TempDir
    Path files;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> newFolder("crm-plugins-none").toString());
        registry.add("crm.imports.mappings-dir", () -> newFolder("crm-mappings").toString());
        registry.add("crm.imports.chunk-size", () -> String.valueOf(CHUNK));
    }

    @Test
    void aMutationDuringTheReadDoesNotWaitForItAndTheImportKeepsEveryRow() throws Exception {
        Path file = export("beside", "");
        Meanwhile meanwhile = mutateDuringTheRead(file, "Beside Ltd");
        Map<String, Object> job = awaitJob(meanwhile.job());

        assertMutationsWentThrough(meanwhile);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", ROWS).containsEntry("total", ROWS)
                .containsEntry("errorCount", 0).containsEntry("message", "Imported " + ROWS + " of " + ROWS + " rows into customers;"
                        + " 0 bad rows skipped; " + ROWS + " created, 0 updated, 0 unchanged; read as UTF-8, ','-separated;"
                        + " columns not imported: Padding");
        assertThat(stored("beside")).isEqualTo(ROWS);
        for (int row : List.of(1, CHUNK, CHUNK + 1, ROWS)) {
            assertThat(fullName("beside", row)).isEqualTo("Ann " + row + " Lee");
        }
        assertThat(companies("Beside Ltd ")).isEqualTo(meanwhile.made() + 1);
    }

    @Test
    void aFileWhoseLastRecordIsUnreadableWritesNothingAndKeepsTheMutationMadeMeanwhile() throws Exception {
        Path file = export("broken", "broken-last@example.com,Smith, John,x\n");
        Meanwhile meanwhile = mutateDuringTheRead(file, "Kept Ltd");
        Map<String, Object> job = awaitJob(meanwhile.job());

        assertMutationsWentThrough(meanwhile);
        assertThat(job).containsEntry("state", "FAILED").containsEntry("processed", 0).containsEntry("errorCount", 0)
                .containsEntry("message", "Record " + (ROWS + 1) + " (line " + (ROWS + 2) + ") has 4 cells, but the header has 3"
                        + " columns: a delimiter inside a value needs quotes around the value. Nothing was imported");
        assertThat(stored("broken")).isZero();
        assertThat(companies("Kept Ltd ")).isEqualTo(meanwhile.made() + 1);
    }

    /**
     * The import's job; how many mutations returned while the read still went on, and how many were made in all; the longest
     * of them; from the first one's start to the read's end (the job's total known, or the job ended: a file found
     * unreadable ends it at once).
     */
    private record Meanwhile(String job, int whileReading, int made, Duration longest, Duration span) {
    }

    /**
     * Uploads {@code file} and, from the moment the first chunk converts to the read's end, creates companies named
     * {@code prefix} and a number, one after the other. A mutation that had to wait for the read's end would return
     * after it, the longest of all.
     */
    private Meanwhile mutateDuringTheRead(Path file, String prefix) throws Exception {
        // The server's first mutation costs more than its wait for the lock: not timed.
        createCompany(prefix + " before");
        String id = upload(file);
        Staging.awaitPart(DATABASE, CONVERTING);
        assertThat(job(id)).as("the file was read whole before the mutations: make it larger").containsEntry("state", "RUNNING")
                .containsEntry("total", -1);
        long first = System.nanoTime();
        long deadline = first + Duration.ofMinutes(2).toNanos();
        long longest = 0;
        int made = 0;
        int whileReading = 0;
        for (boolean reading = true; reading; ) {
            long start = System.nanoTime();
            createCompany(prefix + " " + ++made);
            longest = Math.max(longest, System.nanoTime() - start);
            Map<String, Object> job = job(id);
            reading = "RUNNING".equals(job.get("state")) && job.get("total").equals(-1);
            whileReading += reading ? 1 : 0;
            assertThat(System.nanoTime()).as("the read did not end: %s", job).isLessThan(deadline);
        }
        return new Meanwhile(id, whileReading, made, Duration.ofNanos(longest), Duration.ofNanos(System.nanoTime() - first));
    }

    private static void assertMutationsWentThrough(Meanwhile meanwhile) {
        assertThat(meanwhile.whileReading()).as("mutations that returned while the file was still read: %s", meanwhile)
                .isGreaterThanOrEqualTo(3);
        assertThat(meanwhile.longest()).as("the longest mutation, against the read from the first one's start: %s", meanwhile)
                .isLessThan(meanwhile.span().dividedBy(3));
    }

    /**
     * Customers 1 to {@value #ROWS}, emails {@code <prefix>-<row>@example.com}, each with a padding cell no field reads;
     * then {@code last}, a last line as it is.
     */
    private Path export(String prefix, String last) throws IOException {
        Path file = files.resolve(prefix + ".csv");
        String padding = "p".repeat(PADDING);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("Email,Full Name,Padding\n");
            for (int i = 1; i <= ROWS; i++) {
                out.write(prefix + "-" + i + "@example.com,Ann " + i + " Lee," + padding + "\n");
            }
            out.write(last);
        }
        return file;
    }

    private String upload(Path file) throws Exception {
        return postImport("csv:customers", file);
    }


    @SuppressWarnings("unchecked")
    private Map<String, Object> job(String id) {
        return run("query($id: ID!) { job(id: $id) { state processed total } }", Map.of("id", id)).path("job").entity(Map.class).get();
    }

    private int stored(String prefix) {
        return run("query($p: String!) { customers(where: { email: { startsWith: $p } }) { totalCount } }", Map.of("p", prefix + "-"))
                .path("customers.totalCount").entity(Integer.class).get();
    }

    private String fullName(String prefix, int row) {
        return run("query($e: String!) { customers(where: { email: { eq: $e } }) { nodes { fullName } } }",
                Map.of("e", prefix + "-" + row + "@example.com")).path("customers.nodes[0].fullName").entity(String.class).get();
    }

    private void createCompany(String name) {
        run("mutation($name: String!) { createCompany(input: { companyName: $name }) { id } }", Map.of("name", name));
    }

    private int companies(String prefix) {
        return run("query($p: String!) { companies(where: { companyName: { startsWith: $p } }) { totalCount } }", Map.of("p", prefix))
                .path("companies.totalCount").entity(Integer.class).get();
    }
}
