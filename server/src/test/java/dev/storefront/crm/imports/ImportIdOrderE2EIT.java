package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.plugins.PluginServerSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A chunk larger than DuckDB's row group (122,880 rows), which its reader, joins and insert work on in
 * parallel: the new entries still take their ids in record order and without gaps, the refused rows and
 * the row that updates an existing entry taking none. Its own database, the default chunk size.
 */
class ImportIdOrderE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final int ROWS = 150_000;
    /** Every thousandth record has an email without a domain: refused. */
    private static final int BAD_EVERY = 1_000;
    /** The record that updates the customer imported before. */
    private static final int EXISTING = 77;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", () -> emptyFolder().toString());
    }

    private static Path emptyFolder() {
        try {
            return TestFolders.create("crm-plugins-none");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void newEntriesOfALargeChunkTakeDenseIdsInRecordOrder() throws Exception {
        Map<String, Object> first = awaitJob(postImport("csv:customers", "Email,Full Name\norder-" + EXISTING + "@example.com,Before\n", null));
        assertThat(first).containsEntry("state", "SUCCEEDED");
        long existingId = number("SELECT id FROM customers WHERE email = 'order-" + EXISTING + "@example.com'");

        StringBuilder file = new StringBuilder("Email,Full Name\n");
        for (int i = 1; i <= ROWS; i++) {
            file.append("order-").append(i).append(i % BAD_EVERY == 0 ? "@example" : "@example.com").append(",Order ").append(i).append('\n');
        }
        Map<String, Object> job = awaitJob(postImport("csv:customers", file.toString(), null));
        int bad = ROWS / BAD_EVERY;
        int created = ROWS - bad - 1;
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", ROWS).containsEntry("errorCount", bad);
        assertThat((String) job.get("message")).contains(created + " created, 1 updated, 0 unchanged");

        // Each created customer's rank by id equals its rank by record number, and the ids leave no gap.
        List<Object> order = row("SELECT count(*), max(id) - min(id) + 1, count(*) FILTER (WHERE by_id <> by_record)"
                + " FROM (SELECT id, row_number() OVER (ORDER BY id) AS by_id, row_number() OVER (ORDER BY rec) AS by_record"
                + " FROM (SELECT id, CAST(regexp_extract(email, 'order-([0-9]+)@', 1) AS INTEGER) AS rec FROM customers"
                + " WHERE email LIKE 'order-%' AND id <> " + existingId + "))");
        assertThat(order).containsExactly(created, created, 0);
        assertThat(row("SELECT id, full_name FROM customers WHERE email = 'order-" + EXISTING + "@example.com'"))
                .containsExactly((int) existingId, "Order " + EXISTING);
    }

    @SuppressWarnings("unchecked")
    private List<Object> row(String select) {
        return (List<Object>) run("query($q: String!) { sql(query: $q) { rows } }", Map.of("q", select)).path("sql.rows[0]")
                .entity(List.class).get();
    }

    private long number(String select) {
        return ((Number) row(select).get(0)).longValue();
    }
}
