package dev.storefront.crm.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.e2e.E2ESupport;
import dev.storefront.crm.e2e.TestFolders;
import dev.storefront.crm.jobs.JobRunner;
import dev.storefront.crm.jobs.JobState;
import dev.storefront.crm.jobs.JobView;
import dev.storefront.crm.plugins.PluginJobs;
import dev.storefront.crm.plugins.PluginServerSupport;
import dev.storefront.crm.plugins.TestPlugins;
import dev.storefront.crm.storage.DuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A sync's page is written set-based: a test plugin (compiled here, loaded through PF4J) hands the
 * host pages read from a file, and the real server writes each in the same few statements whatever
 * its size, with what the record-by-record write guaranteed: relations by key (orders listed before
 * the customers they point at), the customers' metrics, bad records named by number in plain words
 * while the others are written, entry events inside the page's transaction and after its commit for
 * each entry created or changed (none for one unchanged), re-runs that change nothing, and deletions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncPagesE2EIT extends PluginServerSupport {

    private static final Path DATABASE = E2ESupport.newDatabaseFile();
    private static final Path FOLDER = newFolder("crm-sync-pages");
    private static final Path PAGES = FOLDER.resolve("pages.json");
    private static final Path EVENTS = FOLDER.resolve("events.txt");

    @Autowired
    private DuckDb db;
    @Autowired
    private JobRunner jobs;
    @Autowired
    private PluginJobs pluginJobs;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("crm.database", DATABASE::toString);
        registry.add("crm.schema-dir", () -> "../schema");
        registry.add("crm.plugins-dir", SyncPagesE2EIT::plugins);
        registry.add("crm.plugins.pagesource.pages-file", PAGES::toString);
        registry.add("crm.plugins.pagesource.events-file", EVENTS::toString);
    }

    @Test
    @Order(1)
    void aPageIsWrittenWholeWithRelationsByKeyMetricsAndOneEventPerEntry() throws Exception {
        List<Object> records = new ArrayList<>();
        // The orders come first in the page; the customers they point at by email come after them.
        for (int i = 1; i <= 3; i++) {
            records.add(order("P-" + i, "buyer1@example.com", "10.25", "Fulfilled"));
        }
        records.add(order("P-4", "buyer2@example.com", "99.00", "Cancelled"));
        records.add(order("P-5", "nobody@example.com", "5.00", "Fulfilled"));
        records.add(customer("Buyer1@Example.com", "Ada"));
        records.add(customer("buyer2@example.com", "Bo"));
        records.add(customer("not-an-email", "Cy"));
        writePages(List.of(Map.of("records", records)));

        Map<String, Object> job = sync(false);
        assertThat(job).containsEntry("state", "SUCCEEDED").containsEntry("processed", 8).containsEntry("errorCount", 1)
                .containsEntry("message", "Synced 8 records: 7 new, 0 changed, 0 unchanged; 1 skipped");
        assertThat(job.get("errors")).isEqualTo(List.of(Map.of("row", 8, "column", "customers.email", "value", "not-an-email",
                "reason", "customers.email: is not a valid email address")));

        Map<String, Map<String, Object>> customers = customers();
        assertThat(customers.keySet()).containsExactlyInAnyOrder("buyer1@example.com", "buyer2@example.com");
        assertThat(customers.get("buyer1@example.com")).containsEntry("fullName", "Ada").containsEntry("totalOrders", 3);
        assertThat(new BigDecimal(customers.get("buyer1@example.com").get("lifetimeValue").toString())).isEqualByComparingTo("30.75");
        assertThat(customers.get("buyer2@example.com")).containsEntry("totalOrders", 0);
        assertThat(orderBuyers()).containsExactly("P-1 buyer1@example.com", "P-2 buyer1@example.com", "P-3 buyer1@example.com",
                "P-4 buyer2@example.com", "P-5 null");

        // Each created entry heard once inside the page's transaction and once after its commit.
        List<String> created = new ArrayList<>();
        for (String stage : List.of("in", "after")) {
            for (int i = 1; i <= 5; i++) {
                created.add(stage + " CREATED orders P-" + i);
            }
            created.add(stage + " CREATED customers Ada");
            created.add(stage + " CREATED customers Bo");
        }
        assertThat(awaitEvents(14)).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    @Order(2)
    void aRunOfTheSamePageChangesNothingAndAChangedRecordIsOneUpdate() throws Exception {
        Files.writeString(EVENTS, "");
        Map<String, Object> again = sync(true);
        assertThat(again).containsEntry("state", "SUCCEEDED")
                .containsEntry("message", "Synced 8 records: 0 new, 0 changed, 7 unchanged; 1 skipped");

        List<Object> records = new ArrayList<>();
        records.add(order("P-2", "buyer2@example.com", "10.25", "Fulfilled"));
        records.add(customer("buyer1@example.com", "Ada Lovelace"));
        records.add(customer("buyer2@example.com", "Bo"));
        writePages(List.of(Map.of("records", records)));
        assertThat(sync(true)).containsEntry("message", "Synced 3 records: 0 new, 2 changed, 1 unchanged; 0 skipped");
        Map<String, Map<String, Object>> customers = customers();
        assertThat(customers.get("buyer1@example.com")).containsEntry("fullName", "Ada Lovelace").containsEntry("totalOrders", 2);
        assertThat(customers.get("buyer2@example.com")).containsEntry("totalOrders", 1);
        assertThat(new BigDecimal(customers.get("buyer2@example.com").get("lifetimeValue").toString())).isEqualByComparingTo("10.25");
        assertThat(awaitEvents(4)).containsExactlyInAnyOrder("in UPDATED orders P-2", "after UPDATED orders P-2",
                "in UPDATED customers Ada Lovelace", "after UPDATED customers Ada Lovelace");
    }

    @Test
    @Order(3)
    void aPageCostsTheSameStatementsWhateverItsSize() throws Exception {
        long small = statementsOfOnePage(10);
        long large = statementsOfOnePage(1_000);
        assertThat(large).isEqualTo(small);
        assertThat(run("{ customers(where: { email: { startsWith: \"bulk\" } }) { totalCount } }").path("customers.totalCount")
                .entity(Integer.class).get()).isEqualTo(1_010);
    }

    @Test
    @Order(4)
    void entriesTheSourceNoLongerHoldsAreDeletedAndTheirOrdersUnlinked() throws Exception {
        Files.writeString(EVENTS, "");
        writePages(List.of(Map.of("records", List.of(), "deletions", List.of(Map.of("object", "customers", "key", "email",
                "values", List.of("buyer1@example.com", "bulk10x0@example.com"), "allBut", false)))));
        assertThat(sync(true)).containsEntry("state", "SUCCEEDED").containsEntry("message", "Synced 0 records: 0 new, 0 changed, 0 unchanged; 2 deleted; 0 skipped");
        assertThat(customers()).doesNotContainKeys("buyer1@example.com", "bulk10x0@example.com").containsKey("buyer2@example.com");
        assertThat(orderBuyers()).containsExactly("P-1 null", "P-2 buyer2@example.com", "P-3 null", "P-4 buyer2@example.com", "P-5 null");
        assertThat(awaitEvents(4)).containsExactlyInAnyOrder("in DELETED customers Ada Lovelace", "after DELETED customers Ada Lovelace",
                "in DELETED customers Bulk 0", "after DELETED customers Bulk 0");
    }

    /**
     * A page that fails half-way (its records written, then a deletion naming no object) rolls back whole, and the job shows
     * what the committed pages stored: their records, their bad record, and not the failed page's.
     */
    @Test
    @Order(5)
    void aPageThatFailsHalfWayLeavesTheJobCountingOnlyTheCommittedPages() throws Exception {
        writePages(List.of(Map.of("records", List.of(customer("halfway-1@example.com", "One"), customer("halfway-2@example.com", "Two"),
                        customer("halfway-bad", "Bad"))),
                Map.of("records", List.of(customer("halfway-3@example.com", "Three"), customer("halfway-4@example.com", "Four"),
                        customer("halfway-worse", "Worse")), "deletions", List.of(Map.of("object", "ghosts", "key", "email",
                        "values", List.of("halfway-1@example.com"), "allBut", false)))));
        Map<String, Object> job = sync(true);
        assertThat(job).containsEntry("state", "FAILED").containsEntry("processed", 3).containsEntry("errorCount", 1);
        assertThat(job.get("errors")).isEqualTo(List.of(Map.of("row", 3, "column", "customers.email", "value", "halfway-bad",
                "reason", "customers.email: is not a valid email address")));
        JobView stored = jobs.find((String) job.get("id")).orElseThrow();
        assertThat(stored.processed()).isEqualTo(3);
        assertThat(stored.errorCount()).isEqualTo(1);
        assertThat(customers().keySet().stream().filter(email -> email.startsWith("halfway-")))
                .containsExactlyInAnyOrder("halfway-1@example.com", "halfway-2@example.com");
    }

    /** Statements the server ran for a sync of one page of {@code size} new customers, then the same page again. */
    private long statementsOfOnePage(int size) throws Exception {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(customer("bulk" + size + "x" + i + "@example.com", "Bulk " + i));
        }
        writePages(List.of(Map.of("records", records)));
        long before = db.statementCount();
        Watched created = syncWatched();
        assertThat(created.job().message()).isEqualTo("Synced " + size + " records: " + size + " new, 0 changed, 0 unchanged; 0 skipped");
        Watched unchanged = syncWatched();
        assertThat(unchanged.job().message()).isEqualTo("Synced " + size + " records: 0 new, 0 changed, " + size + " unchanged; 0 skipped");
        return db.statementCount() - before - created.reads() - unchanged.reads();
    }

    /** A finished sync, and how many statements watching it took: each look is one read of the stored jobs. */
    private record Watched(JobView job, long reads) {
    }

    /**
     * A full sync, waited for through the stored jobs: it is found there once it stored itself finished,
     * its last statement. Each look is exactly one statement, whatever the job's state, so the caller
     * can take them off the count.
     */
    private Watched syncWatched() {
        JobView job = pluginJobs.run("pagesource", "pages", Map.of("full", true)).view();
        String id = job.id();
        // On the server's clock, which stamps the job's end too.
        OffsetDateTime started = job.createdAt().minusSeconds(1);
        long deadline = System.currentTimeMillis() + 60_000;
        for (long reads = 1; System.currentTimeMillis() < deadline; reads++) {
            Optional<JobView> finished = jobs.finishedAfter(started).stream().filter(stored -> stored.id().equals(id)).findFirst();
            if (finished.isPresent()) {
                assertThat(finished.get().state()).isEqualTo(JobState.SUCCEEDED);
                return new Watched(finished.get(), reads);
            }
            sleep(20);
        }
        throw new AssertionError("sync " + id + " did not finish within 60 s");
    }

    private Map<String, Object> sync(boolean full) {
        String id = run("mutation($args: String) { runJob(plugin: \"pagesource\", job: \"pages\", args: $args) { id } }",
                Map.of("args", full ? "{\"full\": true}" : "{}")).path("runJob.id").entity(String.class).get();
        return awaitJob(id);
    }

    private Map<String, Map<String, Object>> customers() {
        Map<String, Map<String, Object>> byEmail = new LinkedHashMap<>();
        allNodes("customers", "email fullName totalOrders lifetimeValue").forEach(c -> byEmail.put((String) c.get("email"), c));
        return byEmail;
    }

    private List<String> orderBuyers() {
        return allNodes("orders", "orderNumber customer { email }").stream()
                .map(o -> o.get("orderNumber") + " " + (o.get("customer") == null ? null : ((Map<?, ?>) o.get("customer")).get("email")))
                .sorted().toList();
    }

    /** The events file once it holds {@code count} lines (the after-commit ones arrive on their own thread). */
    private static List<String> awaitEvents(int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> lines = Files.readAllLines(EVENTS);
        while (lines.size() < count && System.currentTimeMillis() < deadline) {
            sleep(50);
            lines = Files.readAllLines(EVENTS);
        }
        return lines;
    }

    private static Map<String, Object> customer(String email, String name) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("email", email);
        values.put("full_name", name);
        return Map.of("object", "customers", "keys", List.of("email"), "values", values);
    }

    private static Map<String, Object> order(String number, String buyer, String total, String status) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("order_number", number);
        values.put("customer", Map.of("ref", "customers", "field", "email", "value", buyer));
        values.put("total_amount", total);
        values.put("status", status);
        values.put("order_date", "2026-03-0" + number.charAt(2) + "T10:00:00Z");
        return Map.of("object", "orders", "keys", List.of("order_number"), "values", values);
    }

    private static void writePages(List<Map<String, Object>> pages) throws IOException {
        Files.writeString(PAGES, JSON.writeValueAsString(pages));
    }

    /** A plugins folder with the page source of this test and its entry listener. */
    private static String plugins() {
        try {
            Path directory = TestFolders.create("crm-plugins-pages");
            TestPlugins.build(directory, "pagesource", "org.pf4j.Plugin", List.of("test.pages.FilePages", "test.pages.EventFile"), Map.of(
                    "test.pages.FilePages", """
                    package test.pages;
                    import dev.storefront.crm.api.PluginContext;
                    import dev.storefront.crm.api.sync.*;
                    import java.nio.file.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    @SuppressWarnings("unchecked")
                    public class FilePages implements SyncSource<Integer> {
                        public String name() { return "pages"; }
                        public String description() { return "The pages of the file pages-file, one per poll"; }
                        public CursorFormat<Integer> cursorFormat() {
                            return new CursorFormat<>() {
                                public String write(Integer cursor) { return String.valueOf(cursor); }
                                public Integer read(String text) { return Integer.valueOf(text); }
                            };
                        }
                        public SyncPage<Integer> poll(Integer cursor, SyncRun run, PluginContext context) throws Exception {
                            List<Object> pages = (List<Object>) context.json().parse(Files.readString(Path.of(context.config("pages-file").orElseThrow())));
                            int index = cursor == null ? 0 : cursor + 1;
                            Map<String, Object> page = (Map<String, Object>) pages.get(index);
                            List<SyncRecord> records = new ArrayList<>();
                            for (Object item : (List<Object>) page.get("records")) {
                                Map<String, Object> record = (Map<String, Object>) item;
                                Map<String, Object> values = new LinkedHashMap<>();
                                ((Map<String, Object>) record.get("values")).forEach((field, value) -> values.put(field, value instanceof Map<?, ?> ref
                                        ? new EntryRef((String) ref.get("ref"), (String) ref.get("field"), ref.get("value")) : value));
                                records.add(new SyncRecord((String) record.get("object"), (List<String>) record.get("keys"), values));
                            }
                            List<SyncDeletion> deletions = new ArrayList<>();
                            for (Object item : (List<Object>) page.getOrDefault("deletions", List.of())) {
                                Map<String, Object> d = (Map<String, Object>) item;
                                deletions.add(new SyncDeletion((String) d.get("object"), (String) d.get("key"), (List<Object>) d.get("values"),
                                        (Boolean) d.get("allBut")));
                            }
                            return new SyncPage<>(records, deletions, index, index == pages.size() - 1, -1);
                        }
                    }
                    """,
                    "test.pages.EventFile", """
                    package test.pages;
                    import dev.storefront.crm.api.PluginContext;
                    import dev.storefront.crm.api.events.*;
                    import java.nio.file.*;
                    import java.util.*;
                    @org.pf4j.Extension
                    public class EventFile implements EntryListener {
                        public void onEntryEvent(EntryEvent e, PluginContext c) throws Exception { write("after", e, c); }
                        public void beforeCommit(EntryEvent e, PluginContext c) throws Exception { write("in", e, c); }
                        private static synchronized void write(String stage, EntryEvent e, PluginContext c) throws Exception {
                            Map<String, Object> entry = e.after() != null ? e.after() : e.before();
                            Object name = e.object().equals("orders") ? entry.get("order_number") : entry.get("full_name");
                            Files.writeString(Path.of(c.config("events-file").orElseThrow()), stage + " " + e.type() + " " + e.object() + " " + name + "\\n",
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        }
                    }
                    """));
            return directory.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
