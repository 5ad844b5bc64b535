package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.plugins.PluginServerSupport;
import dev.storefront.crm.plugins.TestPlugins;
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
 * Cancelling a large CSV import, on the real server with the real WooCommerce jar: customer exports in the export's own
 * 27 columns (~225 bytes a record), read in chunks of {@value #CHUNK}. Cancelled while the file is still being read
 * ({@value #LARGE} records, ~180 MB; the code before read 400,000 to their end in ~4 s, loaded, before it stopped), the
 * import ends within a chunk's convert: the read stops, nothing is written (the first commit waits for the read's end),
 * the job says so, and the upload and its part files are gone. It is cancelled while the first chunk's transaction waits
 * for the read's end: the cancel's own write (its audit row) makes that chunk give the write lock back (it waited for the
 * whole read while the chunk held it to the read's end). Cancelled once chunks have committed
 * ({@value #ROWS} records), the store holds exactly those chunks' customers. Its own database.
 */
class ImportCancelE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final String PLUGINS = TestPlugins.bundledFolder("woocommerce");
    private static final int ROWS = 400_000;
    private static final int LARGE = 800_000;
    private static final int CHUNK = 50_000;
    /**
     * From a cancel during the read to the job's end: the read stops within a block of 64 KB, and a chunk being converted
     * (which waits for the read's end to commit) ends its convert and rolls back. Loaded (load ~9 on 2 cores) a cancel after
     * committed chunks took 6.6 s (the chunk in hand committed, then the customers' recompute), so that one is not timed.
     */
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final String HEADER = "customer_id,first_name,last_name,email,date_registered,billing_first_name,billing_last_name,"
            + "billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,"
            + "billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_company,shipping_address_1,"
            + "shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,total_spent,order_count";

    /** The generated exports, removed after each test whatever its outcome. */
    @TempDir
    Path exports;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> PLUGINS);
        registry.add("crm.imports.mappings-dir", () -> newFolder("crm-mappings").toString());
        registry.add("crm.imports.chunk-size", () -> String.valueOf(CHUNK));
    }

    @Test
    void aCancelDuringTheReadEndsTheImportAtOnceAndWritesNothing() throws Exception {
        Path file = export("during", 1_000_000, LARGE);
        String id = upload(file);
        // Once part 2 is written, the first chunk converts in its transaction, which holds the write lock until the read ends.
        Staging.awaitPart(DATABASE, 2);
        assertThat(job(id).get("total")).as("the file was read whole before the cancel: make it larger").isEqualTo(-1);
        long cancelled = System.nanoTime();
        cancel(id);
        Map<String, Object> job = awaitJob(id);
        Duration took = Duration.ofNanos(System.nanoTime() - cancelled);

        assertThat(job).containsEntry("state", "CANCELLED").containsEntry("processed", 0).containsEntry("total", 0)
                .containsEntry("errorCount", 0).containsEntry("message",
                        "Cancelled after 0 rows, before the file was read to its end; 0 created, 0 updated, 0 unchanged");
        assertThat(took).as("from the cancel to the job's end").isLessThan(BOUND);
        assertThat(stored("during")).isZero();
        assertThat(Staging.staged(DATABASE)).as("the upload and its parts").isEmpty();
    }

    @Test
    void aCancelAfterCommittedChunksKeepsExactlyThem() throws Exception {
        Path file = export("after", 2_000_000, ROWS);
        String id = upload(file);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, Object> progress;
        do {
            Thread.sleep(10);
            progress = job(id);
            assertThat(System.nanoTime()).as("no chunk committed: %s", progress).isLessThan(deadline);
        } while ((Integer) progress.get("processed") < CHUNK);
        cancel(id);
        Map<String, Object> job = awaitJob(id);

        int processed = (Integer) job.get("processed");
        assertThat(job).containsEntry("state", "CANCELLED").containsEntry("total", ROWS).containsEntry("errorCount", 0);
        assertThat(processed % CHUNK).as("whole chunks only: %s", processed).isZero();
        assertThat(processed).isBetween(CHUNK, ROWS - CHUNK);
        assertThat(job).containsEntry("message", "Cancelled after " + processed + " of " + processed + " rows into customers; 0 bad rows"
                + " skipped; " + processed + " created, 0 updated, 0 unchanged; read as UTF-8, ','-separated");
        assertThat(stored("after")).as("customers = rows of the committed chunks").isEqualTo(processed);
        // Exactly records 1 to processed: the last committed one with its values, the next one absent.
        Map<String, Object> last = customer("after", processed);
        assertThat(last).containsEntry("woocommerceId", 2_000_000 + processed).containsEntry("fullName", "Ann " + processed + " Lee")
                .containsEntry("billingCity", "City " + processed % 97);
        assertThat(customer("after", processed + 1)).isNull();
        assertThat(Staging.staged(DATABASE)).as("the upload and its parts").isEmpty();
    }

    /** The export's rows 1 to {@code rows}: customer ids from {@code firstId + 1}, emails {@code <prefix>-<row>@example.com}. */
    private Path export(String prefix, int firstId, int rows) throws IOException {
        Path file = exports.resolve(prefix + ".csv");
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(HEADER + "\n");
            for (int i = 1; i <= rows; i++) {
                String email = prefix + "-" + i + "@example.com";
                out.write((firstId + i) + ",Ann " + i + ",Lee," + email + ",\"2024-06-02 15:20:11\",Ann " + i + ",Lee,," + email
                        + ",206-555-0175,\"88 Harbour Road\",,98101,City " + i % 97 + ",WA,US,Ann,Lee,,\"88 Harbour Road\",,98101,Seattle,"
                        + "WA,US,184.20,4\n");
            }
        }
        return file;
    }

    private String upload(Path file) throws Exception {
        return postImport("woocommerce:customers-csv", file);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> job(String id) {
        return run("query($id: ID!) { job(id: $id) { state processed total } }", Map.of("id", id)).path("job").entity(Map.class).get();
    }

    private void cancel(String id) {
        run("mutation($id: ID!) { cancelJob(id: $id) { id } }", Map.of("id", id));
    }

    private int stored(String prefix) {
        return run("query($p: String!) { customers(where: { email: { startsWith: $p } }) { totalCount } }", Map.of("p", prefix + "-"))
                .path("customers.totalCount").entity(Integer.class).get();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> customer(String prefix, int row) {
        List<Map<String, Object>> nodes = run("query($e: String!) { customers(where: { email: { eq: $e } }) { nodes { woocommerceId fullName"
                + " billingCity } } }", Map.of("e", prefix + "-" + row + "@example.com")).path("customers.nodes").entity(List.class).get();
        return nodes.isEmpty() ? null : nodes.get(0);
    }
}
